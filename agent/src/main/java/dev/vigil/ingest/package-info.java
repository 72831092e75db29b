/**
 * The ingest stage: turning bytes from the outside world into facts. Today it holds the built-in host probe;
 * the network receivers (OTLP, remote_write, Alertmanager, syslog) are not built yet.
 * Depends only on {@code dev.vigil.fact}.
 */
package dev.vigil.ingest;
