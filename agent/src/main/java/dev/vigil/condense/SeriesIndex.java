package dev.vigil.condense;

import dev.vigil.fact.Labels;
import dev.vigil.fact.SeriesState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The kept series, found by name and labels. Not thread-safe: the engine thread's.
 *
 * <p>Implementation note: an open-addressing table of the states themselves (linear probing), looked up by the name
 * and labels each state already holds. A {@code HashMap<key, SeriesState>} cost a node and a key object per series,
 * ~66 bytes of a kept series' heap; this costs 5–11 bytes (one reference a slot, at most three quarters full), and a
 * lookup allocates nothing.
 */
final class SeriesIndex {
    private static final int MIN_SLOTS = 16;

    private SeriesState[] slots = new SeriesState[MIN_SLOTS];
    private int size;

    int size() {
        return size;
    }

    /** The state of the series, or null when none is kept. */
    SeriesState get(String name, Labels labels) {
        int mask = slots.length - 1;
        for (int i = slot(hash(name, labels), mask); ; i = (i + 1) & mask) {
            SeriesState s = slots[i];
            if (s == null) {
                return null;
            }
            if (s.name().equals(name) && s.labels().equals(labels)) {
                return s;
            }
        }
    }

    /** Adds a state whose series is not kept yet. */
    void add(SeriesState state) {
        if (size + 1 > slots.length - (slots.length >>> 2)) {
            resize(slots.length * 2);
        }
        insert(slots, state);
        size++;
    }

    /** Removes every state that {@code test} accepts, then hands each to {@code removed}. */
    void removeIf(Predicate<SeriesState> test, Consumer<SeriesState> removed) {
        List<SeriesState> gone = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            SeriesState s = slots[i];
            if (s != null && test.test(s)) {
                gone.add(s);
                slots[i] = null;
            }
        }
        if (gone.isEmpty()) {
            return;
        }
        // rebuilt rather than removed one by one: a hole would cut the probe sequence of the states placed after it
        size -= gone.size();
        SeriesState[] old = slots;
        slots = new SeriesState[slotsFor(size)];
        for (SeriesState s : old) {
            if (s != null) {
                insert(slots, s);
            }
        }
        gone.forEach(removed);
    }

    private static int slotsFor(int count) {
        int n = MIN_SLOTS;
        while (count > n - (n >>> 2)) {
            n *= 2;
        }
        return n;
    }

    private void resize(int length) {
        SeriesState[] next = new SeriesState[length];
        for (SeriesState s : slots) {
            if (s != null) {
                insert(next, s);
            }
        }
        slots = next;
    }

    private static void insert(SeriesState[] table, SeriesState state) {
        int mask = table.length - 1;
        int i = slot(hash(state.name(), state.labels()), mask);
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = state;
    }

    private static int hash(String name, Labels labels) {
        return name.hashCode() * 31 + labels.hashCode(); // both cached in their objects
    }

    private static int slot(int hash, int mask) {
        int h = hash * 0x9E3779B9; // Fibonacci hashing: spreads the low bits that linear probing indexes by
        return (h ^ (h >>> 16)) & mask;
    }
}
