package dev.vigil.condense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.vigil.fact.Labels;
import dev.vigil.fact.SeriesState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesIndexTest {
    private static SeriesState state(String name, int i) {
        return new SeriesState(name, labels(i), "", "", false, 3_600_000, 16);
    }

    /** Labels equal to, but not the same objects as, those of {@link #state}: as a decoder builds them per sample. */
    private static Labels labels(int i) {
        return Labels.of("instance", new String("host-" + (i % 50) + ":9100"), "series", Integer.toString(i));
    }

    @Test
    void findsEachSeriesByEqualNameAndLabelsAndNothingElse() {
        SeriesIndex index = new SeriesIndex();
        List<SeriesState> states = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            SeriesState s = state(i % 2 == 0 ? "up" : "node_load1", i);
            states.add(s);
            index.add(s);
        }
        assertEquals(20_000, index.size());
        for (int i = 0; i < 20_000; i++) {
            assertSame(states.get(i), index.get(new String(i % 2 == 0 ? "up" : "node_load1"), labels(i)));
            assertNull(index.get(i % 2 == 0 ? "node_load1" : "up", labels(i)), "the same labels under the other name");
        }
        assertNull(index.get("up", labels(20_000)));
    }

    @Test
    void removingSomeKeepsEveryOtherFindableAndHandsTheRemovedOver() {
        SeriesIndex index = new SeriesIndex();
        List<SeriesState> states = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            states.add(state("up", i));
            index.add(states.get(i));
        }
        List<SeriesState> removed = new ArrayList<>();
        index.removeIf(s -> Integer.parseInt(s.labels().get("series")) % 3 != 0, removed::add);
        assertEquals(6_666, removed.size());
        assertEquals(3_334, index.size());
        for (int i = 0; i < 10_000; i++) {
            if (i % 3 == 0) {
                assertSame(states.get(i), index.get("up", labels(i)));
            } else {
                assertNull(index.get("up", labels(i)));
            }
        }
        SeriesState again = state("up", 1);
        index.add(again);
        assertSame(again, index.get("up", labels(1)));
        index.removeIf(s -> false, s -> {
            throw new AssertionError("nothing was to be removed, got " + s);
        });
        assertEquals(3_335, index.size());
    }
}
