package dev.vigil.fact;

import java.util.Objects;

/**
 * A condition under which acting on a signature is wrong, observed by a rule. Its effect ({@code suppress} or
 * {@code require-approval}) comes from the signature, not from the rule.
 *
 * @param target the diagnoses it applies to: every diagnosis of the signature whose target contains this one
 *               ({@link Target#ANY} applies to all)
 */
public record Contraindication(String signature, String id, Target target, String reason) {
    public Contraindication {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        reason = Objects.requireNonNullElse(reason, id);
    }

    public boolean appliesTo(String signatureId, Target diagnosisTarget) {
        return signature.equals(signatureId) && diagnosisTarget.matches(target);
    }
}
