package dev.vigil.decision;

import dev.vigil.signature.Effect;
import java.util.List;
import java.util.Locale;

/**
 * The governance table: confidence band × playbook risk, then the contraindications that hold. A contraindication
 * with effect suppress always wins; require-approval caps the result at approve. Stateless; thread-safe.
 */
public final class Gate {
    /** The gate's answer for one playbook. */
    public record Verdict(DecisionKind kind, int approvalsRequired, String reason) {
    }

    private final GovernancePolicy policy;

    public Gate(GovernancePolicy policy) {
        this.policy = policy;
    }

    public GovernancePolicy policy() {
        return policy;
    }

    /**
     * @param held the effects of the contraindications that hold for this playbook, with their reasons
     */
    public Verdict decide(double confidence, String playbook, Risk risk, List<Held> held) {
        for (Held h : held) {
            if (h.effect() == Effect.SUPPRESS) {
                return new Verdict(DecisionKind.SUPPRESS, 0, "contraindicated: " + h.reason());
            }
        }
        String band = policy.band(confidence);
        String why = String.format(Locale.ROOT, "confidence %.2f is %s; risk %s", confidence, band, risk.wireName());
        if (risk == Risk.NONE) {
            return new Verdict(DecisionKind.NOTIFY, 0, why + ": notify only");
        }
        if (band.equals("weak")) {
            return new Verdict(DecisionKind.NOTIFY, 0, why + ": notify");
        }
        int approvals = risk == Risk.HIGH ? policy.highRiskApprovals() : 1;
        DecisionKind kind = switch (risk) {
            case LOW -> band.equals("strong") ? DecisionKind.EXECUTE : DecisionKind.APPROVE;
            case MEDIUM -> band.equals("strong") && policy.autoExecute().contains(playbook) ? DecisionKind.EXECUTE : DecisionKind.APPROVE;
            default -> DecisionKind.APPROVE;
        };
        if (kind == DecisionKind.EXECUTE) {
            for (Held h : held) {
                if (h.effect() == Effect.REQUIRE_APPROVAL) {
                    return new Verdict(DecisionKind.APPROVE, approvals, why + "; approval required: " + h.reason());
                }
            }
        }
        String action = kind == DecisionKind.EXECUTE ? "execute"
                : approvals > 1 ? "approve (" + approvals + " approvers)" : "approve";
        String reqs = held.isEmpty() ? "" : "; approval required: " + held.get(0).reason();
        return new Verdict(kind, kind == DecisionKind.APPROVE ? approvals : 0, why + ": " + action + reqs);
    }

    /** A contraindication that holds, with its effect from the signature. */
    public record Held(Effect effect, String reason) {
    }
}
