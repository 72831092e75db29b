package dev.vigil.playbook;

import java.util.List;
import java.util.Map;

/**
 * The runner's window on the live facts, owned by the caller: the daemon answers on the engine thread (with
 * {@link Conditions#check}), tests with what they set. Implementations are thread-safe; the runner calls them from
 * its worker pool.
 */
@FunctionalInterface
public interface FactView {
    /**
     * Evaluates each condition, its templates rendered with {@code values}, against the facts now, in order. A series
     * whose newest sample is older than {@code notBeforeMillis} counts as absent (stale data verifies nothing).
     */
    List<ConditionCheck> check(List<Condition> conditions, Map<String, String> values, long notBeforeMillis);
}
