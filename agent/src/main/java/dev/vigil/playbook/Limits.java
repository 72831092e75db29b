package dev.vigil.playbook;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How often and how widely a playbook may run: a cooldown per target, runs per hour, concurrent runs, and how many
 * instances (or what share of a service's instances) it may touch at once. Immutable.
 */
public record Limits(Duration cooldown, int maxRunsPerHour, int maxConcurrent, BlastRadius blastRadius) {
    public Limits {
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(blastRadius, "blastRadius");
        if (maxRunsPerHour < 1 || maxConcurrent < 1) {
            throw new IllegalArgumentException("limits must be >= 1, were maxRunsPerHour=" + maxRunsPerHour
                    + " maxConcurrent=" + maxConcurrent);
        }
    }

    /** At most {@code maxInstances} instances and at most {@code maxPercent} % of a service's instances; either may be unset. Immutable. */
    public record BlastRadius(OptionalInt maxInstances, OptionalInt maxPercent) {
        /** No bound (only for playbooks of risk none). */
        public static final BlastRadius UNBOUNDED = new BlastRadius(OptionalInt.empty(), OptionalInt.empty());

        public BlastRadius {
            Objects.requireNonNull(maxInstances, "maxInstances");
            Objects.requireNonNull(maxPercent, "maxPercent");
        }
    }
}
