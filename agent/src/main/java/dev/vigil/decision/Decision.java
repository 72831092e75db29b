package dev.vigil.decision;

import dev.vigil.fact.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What Vigil decided about one diagnosis, with the reasons a governor reads. Immutable.
 *
 * @param id                 unique within the journal
 * @param timeMillis         when it was decided (engine clock)
 * @param playbook           the playbook to run, ask for, or that was held back; null for a notify with none
 * @param approvalsRequired  distinct approvers needed when {@code kind} is APPROVE (2 for high risk)
 * @param evidence           evidence key to its detail, as scored
 * @param bindings           values the evidence offers to playbook parameters
 */
public record Decision(String id, long timeMillis, String signature, Target target, double confidence,
                       DecisionKind kind, String playbook, List<String> reasons, int approvalsRequired,
                       Map<String, String> evidence, Map<String, String> bindings) {
    public Decision {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(kind, "kind");
        reasons = List.copyOf(reasons);
        evidence = Map.copyOf(evidence);
        bindings = Map.copyOf(bindings);
    }

    /** The same decision held back, with the reason added last. */
    public Decision suppressed(String reason) {
        List<String> r = new ArrayList<>(reasons);
        r.add(reason);
        return new Decision(id, timeMillis, signature, target, confidence, DecisionKind.SUPPRESS, playbook, r, 0,
                evidence, bindings);
    }
}
