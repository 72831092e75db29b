package dev.vigil.confidence;

import java.util.Objects;

/**
 * One piece of evidence for a diagnosis, as the scorer sees it; an immutable value, safe to share between threads.
 *
 * @param key        the evidence key of the signature ({@code pool-saturated}); unique within one {@link ScoreInput}
 * @param weight     the log-odds this evidence adds when fully present, from the signature; finite, may be negative
 *                   (evidence against the diagnosis)
 * @param strength   how fully the evidence holds, in [0, 1]; 0 means observed not to hold
 * @param source     the kind of telemetry it was observed in
 * @param exact      true when it is one exact measurement that states the condition itself (a certificate's expiry
 *                   date, a filesystem's free bytes); such evidence is not subject to the noisy-source cap
 * @param ageSeconds seconds since the newest observation behind it, finite and {@code >= 0}; callers clamp clock
 *                   skew (an observation stamped in the future) to 0
 * @param detail     what a governor reads ("pool HikariPool-1 saturated 10/10 for 75s"); the key when null or blank
 */
public record EvidenceInput(String key, double weight, double strength, Source source, boolean exact,
                            double ageSeconds, String detail) {
    /**
     * Checks every field.
     *
     * @throws IllegalArgumentException when the key is blank, the weight is not finite, the strength is outside
     *                                  [0, 1] or the age is negative or not finite
     * @throws NullPointerException     when the key or the source is null
     */
    public EvidenceInput {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        if (key.isBlank()) {
            throw new IllegalArgumentException("evidence key must not be blank (was \"" + key + "\")");
        }
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("evidence " + key + ": weight must be finite (was " + weight + ")");
        }
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException(
                    "evidence " + key + ": strength must be in [0, 1] (was " + strength + ")");
        }
        if (!(ageSeconds >= 0) || ageSeconds == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(
                    "evidence " + key + ": ageSeconds must be finite and >= 0 (was " + ageSeconds + ")");
        }
        if (detail == null || detail.isBlank()) {
            detail = key;
        }
    }

    /** What this evidence adds before staleness: {@code weight × strength}. */
    double contribution() {
        return weight * strength;
    }

    /** True when it counts for the diagnosis: positive weight and strength above zero. */
    boolean present() {
        return weight > 0 && strength > 0;
    }
}
