package dev.vigil.fact;

import java.util.Objects;

/** One sample of one series, as a Prometheus exporter exposes it. */
public record MetricSample(String name, Labels labels, double value, MetricType type, long timeMillis)
        implements Telemetry {
    public MetricSample {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(type, "type");
    }
}
