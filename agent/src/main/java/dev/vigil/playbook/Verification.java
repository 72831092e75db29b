package dev.vigil.playbook;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** What must hold after a run: every condition of {@code all}, at once, within {@code within}. Immutable. */
public record Verification(Duration within, List<Condition> all) {
    public Verification {
        Objects.requireNonNull(within, "within");
        all = List.copyOf(all);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("a verification needs at least one condition");
        }
    }
}
