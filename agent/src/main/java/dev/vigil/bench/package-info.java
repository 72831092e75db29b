/**
 * The load generator behind {@code vigil bench ingest}: synthetic but realistic series, remote_write and OTLP bodies,
 * closed- and open-loop senders on loopback, a Prometheus to compare with, and the figures (accepted per second, ack
 * and decision latency, refusals by reason, heap). Wiring-level like {@code daemon}: it may start a daemon in-process.
 */
package dev.vigil.bench;
