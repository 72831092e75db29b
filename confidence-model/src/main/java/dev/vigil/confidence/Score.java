package dev.vigil.confidence;

import java.util.List;
import java.util.Objects;

/**
 * The confidence in one diagnosis and the reasons behind it; an immutable value, safe to share between threads.
 *
 * @param probability the calibrated probability that the diagnosis is right and its playbook the right response,
 *                    in [0, 1]
 * @param reasons     the terms in the order prior, evidence (input order), stale, missing-source, conflict,
 *                    track-record, cap; unmodifiable
 */
public record Score(double probability, List<Reason> reasons) {
    /**
     * Checks the probability and copies the reasons.
     *
     * @throws IllegalArgumentException when the probability is outside [0, 1] or NaN
     * @throws NullPointerException     when the reasons or one of them is null
     */
    public Score {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1] (was " + probability + ")");
        }
        reasons = List.copyOf(Objects.requireNonNull(reasons, "reasons"));
    }
}
