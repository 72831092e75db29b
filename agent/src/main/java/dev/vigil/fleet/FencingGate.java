package dev.vigil.fleet;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The executing side's guard against stale grants: it remembers the highest token seen per target and refuses a lower
 * one, so an agent that was paused past its session cannot act on a grant another agent has since superseded.
 * Thread-safe. Bounded: the least recently used targets are forgotten past {@code capacity}.
 */
public final class FencingGate {
    private final Map<String, Long> highest;

    public FencingGate(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.highest = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Admits the grant when its token is at least the highest seen for its target; records it. */
    public synchronized boolean admit(Grant grant) {
        Long seen = highest.get(grant.target());
        if (seen != null && grant.token() < seen) {
            return false;
        }
        highest.put(grant.target(), grant.token());
        return true;
    }

    /** The highest token admitted for {@code target}, or -1. */
    public synchronized long highest(String target) {
        return highest.getOrDefault(target, -1L);
    }
}
