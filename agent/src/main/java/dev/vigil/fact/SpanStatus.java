package dev.vigil.fact;

/** OpenTelemetry span status codes. */
public enum SpanStatus {
    OK,
    ERROR,
    UNSET
}
