package dev.vigil.scenario;

import dev.vigil.fact.Telemetry;
import java.util.Objects;

/**
 * One observation of a scenario: the telemetry fact and its {@code t}, in seconds after the scenario's start (the
 * fact's own time is {@code start + round(t × 1000)} ms). Immutable, so thread-safe.
 */
public record Observation(double t, Telemetry telemetry) {
    public Observation {
        if (!(t >= 0) || Double.isInfinite(t)) {
            throw new IllegalArgumentException("t must be a finite number >= 0, was " + t);
        }
        Objects.requireNonNull(telemetry, "telemetry");
    }
}
