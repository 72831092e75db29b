package dev.vigil.fact;

import java.util.Objects;

/**
 * How a playbook run ended (verified, failed, rolled-back, unknown), as an event rules can see: a failed renewal,
 * for example, stops the next one. Immutable.
 */
public record ActionOutcome(String playbook, Target target, String outcome, long timeMillis) {
    public ActionOutcome {
        Objects.requireNonNull(playbook, "playbook");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
    }

    public boolean failed() {
        return outcome.equals("failed") || outcome.equals("rolled-back");
    }
}
