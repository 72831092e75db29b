package dev.vigil.playbook;

import java.time.Duration;
import java.util.Objects;

/** One step of a playbook (or of its rollback): a name unique in the playbook, a timeout, a guard and an action. Immutable. */
public record Step(String name, Duration timeout, When when, StepAction action) {
    public Step {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(action, "action");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("step " + name + ": timeout must be > 0, was " + timeout);
        }
    }

    public Executor executor() {
        return action.executor();
    }
}
