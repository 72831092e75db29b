package dev.vigil.playbook;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One circuit per playbook: it opens after {@code threshold} failed verifications in a row and stays open until a
 * governor closes it. Thread-safe.
 */
final class Circuits {
    private final int threshold;
    private final Map<String, Integer> failuresInARow = new HashMap<>();
    private final Set<String> open = new TreeSet<>();

    Circuits(int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("the circuit threshold must be >= 1, was " + threshold);
        }
        this.threshold = threshold;
    }

    synchronized boolean isOpen(String playbook) {
        return open.contains(playbook);
    }

    /** Counts a verification; true when this failure opened the circuit. */
    synchronized boolean record(String playbook, boolean verified) {
        if (verified) {
            failuresInARow.remove(playbook);
            return false;
        }
        int n = failuresInARow.merge(playbook, 1, Integer::sum);
        return n >= threshold && open.add(playbook);
    }

    /** Closes the circuit and forgets the failures; false when it was not open. */
    synchronized boolean close(String playbook) {
        failuresInARow.remove(playbook);
        return open.remove(playbook);
    }

    synchronized Set<String> open() {
        return Set.copyOf(open);
    }

    int threshold() {
        return threshold;
    }
}
