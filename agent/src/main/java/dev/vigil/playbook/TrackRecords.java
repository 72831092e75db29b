package dev.vigil.playbook;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How each playbook fared per signature in its verified runs: the track record the confidence model reads. Written by
 * the runner's workers, read by the engine thread; thread-safe. Kept in memory.
 */
public final class TrackRecords {
    /** Verified runs and failed (or rolled back) runs. Immutable. */
    public record Tally(int successes, int failures) {
        public static final Tally NONE = new Tally(0, 0);
    }

    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

    public Tally of(String signature, String playbook) {
        return tallies.getOrDefault(key(signature, playbook), Tally.NONE);
    }

    /** Counts one run whose verification passed ({@code verified}) or failed. */
    public void record(String signature, String playbook, boolean verified) {
        tallies.merge(key(signature, playbook), verified ? new Tally(1, 0) : new Tally(0, 1),
                (a, b) -> new Tally(a.successes() + b.successes(), a.failures() + b.failures()));
    }

    private static String key(String signature, String playbook) {
        return signature + "\u0000" + playbook;
    }
}
