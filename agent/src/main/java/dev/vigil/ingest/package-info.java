/**
 * The ingest stage: turning bytes from the outside world into facts. One decoder per protocol (OTLP/HTTP, remote_write,
 * Alertmanager webhooks, the Prometheus text format, syslog), the receivers that serve them (HTTP routes, scraper,
 * syslog server, file tailer), the host probe, and the bounded queue that hands their facts to the engine thread.
 * Depends only on {@code dev.vigil.fact}.
 */
package dev.vigil.ingest;
