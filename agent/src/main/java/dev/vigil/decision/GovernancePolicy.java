package dev.vigil.decision;

import java.util.Set;

/**
 * The governors' policy for the gate: confidence bands, which medium-risk playbooks may run without asking, and how
 * long a diagnosis may gather evidence before a decision short of execute is taken. Immutable.
 *
 * @param strong               confidence at or above which a diagnosis is strong (default 0.90)
 * @param medium               confidence at or above which it is medium (default 0.60); below is weak
 * @param autoExecute          medium-risk playbooks that execute (not approve) when strong
 * @param settleSeconds        default time a diagnosis gathers evidence before approve, notify or suppress is decided
 * @param highRiskApprovals    distinct approvers a high-risk playbook needs (default 2)
 * @param clearAfterSeconds    how long a diagnosis's evidence must stay absent before it closes (default 120), so
 *                             evidence that flaps around a threshold does not decide again and again
 */
public record GovernancePolicy(double strong, double medium, Set<String> autoExecute, long settleSeconds,
                               int highRiskApprovals, long clearAfterSeconds) {
    public GovernancePolicy {
        if (!(medium > 0 && medium < strong && strong < 1)) {
            throw new IllegalArgumentException("bands must satisfy 0 < medium < strong < 1, were medium=" + medium + " strong=" + strong);
        }
        if (settleSeconds < 0) {
            throw new IllegalArgumentException("settleSeconds must be >= 0, was " + settleSeconds);
        }
        if (clearAfterSeconds < 0) {
            throw new IllegalArgumentException("clearAfterSeconds must be >= 0, was " + clearAfterSeconds);
        }
        if (highRiskApprovals < 1) {
            throw new IllegalArgumentException("highRiskApprovals must be >= 1, was " + highRiskApprovals);
        }
        autoExecute = Set.copyOf(autoExecute);
    }

    public static GovernancePolicy defaults() {
        return new GovernancePolicy(0.90, 0.60, Set.of(), 120, 2, 120);
    }

    /** The band a confidence falls in: "strong", "medium" or "weak". */
    public String band(double confidence) {
        return confidence >= strong ? "strong" : confidence >= medium ? "medium" : "weak";
    }
}
