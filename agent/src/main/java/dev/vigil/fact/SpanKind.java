package dev.vigil.fact;

/** OpenTelemetry span kinds. */
public enum SpanKind {
    SERVER,
    CLIENT,
    INTERNAL,
    PRODUCER,
    CONSUMER
}
