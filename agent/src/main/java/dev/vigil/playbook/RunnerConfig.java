package dev.vigil.playbook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the playbook runner works: its worker pool, the global limits, the circuit threshold, the blast-radius window
 * and the kill switch. Immutable.
 *
 * @param workers          threads that run steps (bounded pool, never an event loop or the engine thread)
 * @param queueCapacity    runs waiting for a worker; beyond it a run is refused, never dropped silently
 * @param maxConcurrent    runs in flight at once, across all playbooks (a run is in flight until its outcome)
 * @param circuitFailures  failed verifications in a row that open a playbook's circuit
 * @param blastWindow      how far back the instances a playbook acted on count toward its blast radius
 * @param maxTargets       more instances than this in one run is an error, never "all"
 * @param verifyEvery      how often the verification is evaluated until its deadline
 * @param freshness        how old a sample may be and still count for a precondition
 * @param killSwitch       engaged from the start
 * @param killSwitchFile   a file whose existence engages the kill switch
 */
public record RunnerConfig(int workers, int queueCapacity, int maxConcurrent, int circuitFailures, Duration blastWindow,
                           int maxTargets, Duration verifyEvery, Duration freshness, boolean killSwitch,
                           Optional<Path> killSwitchFile) {
    public RunnerConfig {
        if (workers < 1 || queueCapacity < 1 || maxConcurrent < 1 || circuitFailures < 1 || maxTargets < 1) {
            throw new IllegalArgumentException("runner limits must be >= 1, were workers=" + workers + " queueCapacity="
                    + queueCapacity + " maxConcurrent=" + maxConcurrent + " circuitFailures=" + circuitFailures
                    + " maxTargets=" + maxTargets);
        }
        for (Duration d : new Duration[] {blastWindow, verifyEvery, freshness}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("runner durations must be > 0, was " + d);
            }
        }
        Objects.requireNonNull(killSwitchFile, "killSwitchFile");
    }

    /** Two workers, four runs at once, circuit after 3 failures, 1 h window, 20 targets, verify every 5 s. */
    public static RunnerConfig defaults() {
        return new RunnerConfig(2, 64, 4, 3, Duration.ofHours(1), 20, Duration.ofSeconds(5), Duration.ofMinutes(5),
                false, Optional.empty());
    }

    public RunnerConfig withVerifyEvery(Duration every) {
        return new RunnerConfig(workers, queueCapacity, maxConcurrent, circuitFailures, blastWindow, maxTargets, every,
                freshness, killSwitch, killSwitchFile);
    }

    public RunnerConfig withKillSwitch(boolean engaged, Optional<Path> file) {
        return new RunnerConfig(workers, queueCapacity, maxConcurrent, circuitFailures, blastWindow, maxTargets,
                verifyEvery, freshness, engaged, file);
    }
}
