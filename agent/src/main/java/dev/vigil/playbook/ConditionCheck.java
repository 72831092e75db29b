package dev.vigil.playbook;

import java.util.Objects;

/**
 * One condition evaluated against the live facts: whether it holds now and what was seen, for the audit journal.
 * For an {@link Condition.EvidenceAbsent}, {@code holds} says only that no such evidence holds now; the runner counts
 * how long. Immutable.
 */
public record ConditionCheck(String condition, boolean holds, String observed) {
    public ConditionCheck {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(observed, "observed");
    }
}
