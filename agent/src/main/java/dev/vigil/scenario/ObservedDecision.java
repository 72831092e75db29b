package dev.vigil.scenario;

import dev.vigil.fact.Target;
import java.util.Objects;

/**
 * One decision a run emitted, as {@code vigil replay} prints it, reduced to what expectations look at. Immutable,
 * so thread-safe.
 *
 * @param decision one of execute, approve, notify, suppress
 * @param playbook null for a notify with no playbook
 */
public record ObservedDecision(String signature, Target target, String decision, String playbook) {
    public ObservedDecision {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(target, "target");
        Decisions.require(decision, "decision");
    }

    /** {@code signature {target} decision playbook}, the shape of {@link Expectation#describe()}. */
    String describe() {
        return signature + " " + target + " " + decision + (playbook == null ? "" : " " + playbook);
    }
}
