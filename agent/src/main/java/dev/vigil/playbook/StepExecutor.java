package dev.vigil.playbook;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Runs one step of a playbook for real, with its parameters already bound and validated. One implementation per
 * {@link Executor}; implementations are thread-safe and are called on the playbook worker pool, never on an event loop
 * or the engine thread.
 *
 * <p>An implementation renders the step exactly as {@link DryRunPlanner} plans it (the audited plan is what runs),
 * enforces the step's timeout itself, and never throws for an operational failure: it returns a {@link StepOutcome}
 * that says what happened and whether a retry could help.
 */
public interface StepExecutor {
    /** The executor this implementation runs. */
    Executor kind();

    /**
     * Runs {@code step} with {@code values} (every parameter the step names, already validated).
     *
     * @param index the step's position in the playbook's steps (or rollback), from 0, as in {@link PlannedStep#index}
     */
    StepOutcome run(Step step, int index, Map<String, String> values);

    /**
     * Runs {@code step} under a fleet grant: an executor whose target can check fencing tokens passes
     * {@code fencingToken} on (the {@code http} executor as the {@code X-Vigil-Fencing-Token} header); the others ignore
     * it. The token comes from the fleet coordinator, never from telemetry.
     */
    default StepOutcome run(Step step, int index, Map<String, String> values, OptionalLong fencingToken) {
        return run(step, index, values);
    }
}
