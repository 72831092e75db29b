package dev.vigil.fact;

/** How a metric sample is to be read: a gauge is a level, a counter is cumulative and may reset. */
public enum MetricType {
    GAUGE,
    COUNTER
}
