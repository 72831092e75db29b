package dev.vigil.confidence;

/**
 * How a playbook fared in its past verified runs for a signature; an immutable value, safe to share between threads.
 *
 * @param successes runs whose verification passed, {@code >= 0}
 * @param failures  runs whose verification failed or that were rolled back, {@code >= 0}
 */
public record TrackRecord(int successes, int failures) {
    /** No history: the track-record term adds nothing. */
    public static final TrackRecord NONE = new TrackRecord(0, 0);

    /**
     * Checks the counts.
     *
     * @throws IllegalArgumentException when a count is negative
     */
    public TrackRecord {
        if (successes < 0) {
            throw new IllegalArgumentException("successes must be >= 0 (was " + successes + ")");
        }
        if (failures < 0) {
            throw new IllegalArgumentException("failures must be >= 0 (was " + failures + ")");
        }
    }

    /** True when the playbook has at least one verified run, successful or not. */
    boolean hasHistory() {
        return successes > 0 || failures > 0;
    }
}
