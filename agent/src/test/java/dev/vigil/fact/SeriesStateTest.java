package dev.vigil.fact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeriesStateTest {
    private static SeriesState series(boolean counter) {
        return new SeriesState("m", Labels.of("service", "a"), "a", "h", counter, 3_600_000, 64);
    }

    @Test
    void heldDurationCountsFromTheFirstSampleOfTheUnbrokenRun() {
        SeriesState s = series(false);
        double[] values = {3, 10, 10, 10, 10, 10};
        for (int i = 0; i < values.length; i++) {
            s.add(i * 15_000L, values[i]);
        }
        assertEquals(60, s.secondsAtLeast(10));
        assertTrue(s.atLeastFor(10, 60));
        assertFalse(s.atLeastFor(10, 61));
        assertEquals(0, s.secondsBelow(5));
    }

    @Test
    void aBlipDoesNotHoldForLong() {
        SeriesState s = series(false);
        double[] values = {5, 10, 10, 5};
        for (int i = 0; i < values.length; i++) {
            s.add(i * 15_000L, values[i]);
        }
        assertEquals(0, s.secondsAtLeast(10));
    }

    @Test
    void counterIncreaseCountsThroughAReset() {
        SeriesState s = series(true);
        double[] values = {10, 15, 3, 8};
        for (int i = 0; i < values.length; i++) {
            s.add(i * 60_000L, values[i]);
        }
        // 10 -> 15 (+5), reset to 3 (+3), 3 -> 8 (+5)
        assertEquals(13, s.increase(600), 1e-9);
        assertEquals(13 / 180.0, s.rate(600), 1e-9);
    }

    @Test
    void robustTrendIgnoresOneOutlierAndForecastsTheCrossing() {
        SeriesState s = series(false);
        for (int i = 0; i <= 60; i++) {
            double v = 1000 - 2.0 * i * 60; // falls 2 per second, sampled every minute
            s.add(i * 60_000L, i == 30 ? 99_999 : v);
        }
        Trend t = s.trend(3600);
        assertEquals(-2.0, t.slope(), 1e-9);
        // level at the end: 1000 - 2*3600 = -6200, so reaching -10000 takes 1900 s
        assertEquals(1900, t.secondsUntil(-10_000), 1e-6);
        assertEquals(Double.POSITIVE_INFINITY, t.secondsUntil(0), "moving away from 0 never reaches it");
    }

    @Test
    void capacityThinsOldSamplesButKeepsTheWindowCovered() {
        SeriesState s = new SeriesState("m", Labels.EMPTY, "", "", false, 3_600_000, 16);
        for (int i = 0; i <= 240; i++) {
            s.add(i * 15_000L, i);
        }
        assertTrue(s.samples() <= 16, "kept " + s.samples());
        assertTrue(s.covers(1800), "a thinned buffer still reaches back 30 minutes");
        assertEquals(240, s.value());
    }

    @Test
    void retentionDropsSamplesOlderThanTheWindowButOne() {
        SeriesState s = new SeriesState("m", Labels.EMPTY, "", "", false, 60_000, 64);
        for (int i = 0; i <= 10; i++) {
            s.add(i * 15_000L, i);
        }
        assertTrue(s.covers(60));
        assertFalse(s.covers(90));
    }

    @Test
    void valueAtReturnsTheSampleInForceThen() {
        SeriesState s = series(false);
        s.add(0, 1);
        s.add(30_000, 2);
        s.add(60_000, 3);
        assertEquals(3, s.valueAt(0));
        assertEquals(2, s.valueAt(30));
        assertEquals(1, s.valueAt(45), "45 s before the newest sample, the sample at 0 was still in force");
        assertEquals(1, s.valueAt(60));
        assertTrue(Double.isNaN(s.valueAt(61)));
    }
}
