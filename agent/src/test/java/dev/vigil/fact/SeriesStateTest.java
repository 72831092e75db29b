package dev.vigil.fact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
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

    /**
     * Values as series carry them: constant, small integer steps, counters with resets, noise, edge cases; integers
     * near and beyond 2^53 (where doubles stop holding every integer) and integers mixed with fractions and -0.0, so
     * both of the packing's value encodings (XOR and integer step) and the choice between them are exercised.
     */
    private static double nextValue(Random r, int kind, double previous, int i) {
        double exact = 0x1p53;
        return switch (kind) {
            case 0 -> 42;
            case 1 -> previous + r.nextInt(5) - 2;
            case 2 -> r.nextInt(50) == 0 ? r.nextInt(10) : previous + r.nextInt(1000);
            case 3 -> r.nextGaussian() * 1e6;
            case 4 -> new double[] {0.0, -0.0, Double.MAX_VALUE, Double.MIN_VALUE, Double.POSITIVE_INFINITY, 1e-300, 7}[r.nextInt(7)];
            case 5 -> 9.5e11 - i * 4096.0 + (r.nextBoolean() ? 0.5 : 0);
            case 6 -> switch (r.nextInt(8)) {
                case 0 -> exact - r.nextInt(40);
                case 1 -> -exact + r.nextInt(40);
                case 2 -> exact + 2 * r.nextInt(40); // beyond 2^53: integral, but not every integer is a double
                case 3 -> 0x1p62 + 1024.0 * r.nextInt(1000);
                case 4 -> (double) Long.MAX_VALUE;
                case 5 -> previous + (long) r.nextInt() * 4096; // large steps: a varint longer than the XOR, or not
                case 6 -> Math.abs(previous) < exact ? previous + r.nextInt(63) - 31 : r.nextInt(100);
                default -> (double) r.nextLong() / 1024;
            };
            default -> switch (r.nextInt(7)) {
                case 0 -> -0.0;
                case 1 -> 0.0;
                case 2 -> previous + 0.5;
                case 3 -> Math.floor(previous) + r.nextInt(200) - 100;
                case 4 -> -previous;
                case 5 -> 1e15 + r.nextInt(3) * 0.25;
                default -> previous + r.nextInt(64) - 32;
            };
        };
    }

    @Test
    void packedSamplesAnswerEveryQueryExactlyAsTheUnpackedBufferDid() {
        Random r = new Random(7);
        long[] windows = {0, 15, 60, 300, 1800, 3600, 7200};
        for (int run = 0; run < 48; run++) {
            int capacity = new int[] {4, 5, 16, 64, 256}[run % 5];
            long retention = run % 3 == 0 ? 60_000 : 3_600_000;
            int kind = run % 8;
            SeriesState packed = new SeriesState("m", Labels.EMPTY, "", "", kind == 2, retention, capacity);
            ReferenceSeriesState plain = new ReferenceSeriesState("m", Labels.EMPTY, "", "", kind == 2, retention, capacity);
            // queried in between, so each thread's unpacked buffers hold several series at once
            SeriesState otherPacked = new SeriesState("o", Labels.EMPTY, "", "", false, retention, capacity);
            ReferenceSeriesState otherPlain = new ReferenceSeriesState("o", Labels.EMPTY, "", "", false, retention, capacity);
            long t = r.nextInt(1_000_000);
            long interval = 1 + r.nextInt(30_000);
            double v = 100;
            for (int i = 0; i < 600; i++) {
                int step = r.nextInt(20);
                long time = step == 0 ? t : step == 1 ? t - 1 - r.nextInt(5_000) // a replacement, an out-of-order sample
                        : (t += step == 2 ? 1 + r.nextInt(600_000) : step < 6 ? interval + r.nextInt(7) - 3 : interval);
                v = step == 3 ? Double.NaN : nextValue(r, kind, Double.isFinite(v) ? v : 0, i);
                String at = "run " + run + " (capacity " + capacity + ", kind " + kind + ") sample " + i;
                assertEquals(plain.add(time, v), packed.add(time, v), at);
                if (step % 4 == 0) {
                    otherPacked.add(time, i);
                    otherPlain.add(time, i);
                }
                assertEquals(plain.samples(), packed.samples(), at);
                assertEquals(plain.time(), packed.time(), at);
                assertEquals(plain.value(), packed.value(), at);
                assertEquals(plain.firstSeen(), packed.firstSeen(), at);
                if (plain.samples() == 0) {
                    continue; // the unpacked buffer failed on window queries before its first sample
                }
                for (long w : windows) {
                    String q = at + ", window " + w + " s";
                    assertEquals(plain.covers(w), packed.covers(w), q);
                    assertEquals(plain.min(w), packed.min(w), q);
                    if (otherPlain.samples() > 0) {
                        assertEquals(otherPlain.max(w), otherPacked.max(w), q);
                    }
                    assertEquals(plain.max(w), packed.max(w), q);
                    assertEquals(plain.avg(w), packed.avg(w), q);
                    assertEquals(plain.valueAt(w), packed.valueAt(w), q);
                    assertEquals(plain.increase(w), packed.increase(w), q);
                    assertEquals(plain.rate(w), packed.rate(w), q);
                    assertEquals(plain.delta(w), packed.delta(w), q);
                    assertEquals(plain.trend(w), packed.trend(w), q);
                    if (w > 0) {
                        assertEquals(plain.rateBetween(w, w / 3), packed.rateBetween(w, w / 3), q);
                    }
                }
                double threshold = Double.isFinite(v) ? v : 100;
                assertEquals(plain.secondsAtLeast(threshold), packed.secondsAtLeast(threshold), at);
                assertEquals(plain.secondsAbove(threshold - 1), packed.secondsAbove(threshold - 1), at);
                assertEquals(plain.secondsBelow(threshold + 1), packed.secondsBelow(threshold + 1), at);
                assertEquals(plain.secondsAtMost(threshold), packed.secondsAtMost(threshold), at);
            }
        }
    }

    @Test
    void aSeriesScrapedEvery15sKeepsAnHourInAFewBytesASample() {
        SeriesState s = new SeriesState("m", Labels.EMPTY, "", "", false, 3_600_000, 256);
        for (int i = 0; i <= 240; i++) {
            s.add(i * 15_000L + (i % 3), 1000 + i % 5); // a little jitter and a value that moves
        }
        assertEquals(241, s.samples());
        assertTrue(s.covers(3600));
        assertTrue(s.packedBytes() <= 3 * s.samples(), s.packedBytes() + " bytes for " + s.samples() + " samples");
    }

    @Test
    void aFewMillisecondsOfJitterAndIntegerStepsOfAFewUnitsPackIntoTheEntryHeader() {
        SeriesState s = new SeriesState("m", Labels.EMPTY, "", "", false, 3_600_000, 256);
        double v = 1000;
        double min = Double.MAX_VALUE;
        for (int i = 0; i <= 240; i++) {
            v += (i * 7 % 9) - 4; // integer steps of -4..4, 0 now and then
            min = Math.min(min, v);
            s.add(i * 15_000L + (i * 5 % 7), v); // intervals of 15 s, give or take 0..6 ms
        }
        // one header byte an entry, and the first interval, 15 s, a 3-byte varint
        assertEquals(240 + 3, s.packedBytes());
        assertEquals(v, s.value());
        assertEquals(min, s.min(3600));
    }
}
