package dev.vigil.fact;

import java.util.Objects;

/**
 * A signature that holds on a target: at least one piece of its evidence is present.
 * Inserted (logically) by the generic grouping rule, so rules can reason across signatures.
 */
public record Diagnosis(String signature, Target target) {
    public Diagnosis {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(target, "target");
    }
}
