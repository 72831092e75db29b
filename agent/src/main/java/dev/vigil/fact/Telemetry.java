package dev.vigil.fact;

/** One observation from a telemetry source, in the order it happened. Implementations are immutable. */
public sealed interface Telemetry permits MetricSample, LogRecord, SpanRecord, Alert, ChangeEvent {
    /** When it was observed, in epoch milliseconds. */
    long timeMillis();
}
