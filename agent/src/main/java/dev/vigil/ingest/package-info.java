/**
 * The ingest stage: turning bytes from the outside world into facts. Today it holds the built-in host probe and the
 * pure decoders for OTLP/HTTP ({@link dev.vigil.ingest.OtlpDecoder}) and Prometheus remote_write
 * ({@link dev.vigil.ingest.RemoteWriteDecoder}); the network receivers that serve them are not built yet.
 * Depends only on {@code dev.vigil.fact}.
 */
package dev.vigil.ingest;
