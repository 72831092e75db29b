package dev.vigil.condense.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {
    private static final long STEP = 5 * 60_000L;
    private static final int PER_DAY = 288;

    /** Requests per second with a daily cycle (quiet nights, busy afternoons) and 3 % noise. */
    private static double traffic(int i, Random noise) {
        double hour = (i % PER_DAY) * 24.0 / PER_DAY;
        double base = 1000 + 600 * Math.sin((hour - 9) / 24 * 2 * Math.PI);
        return base * (1 + 0.03 * noise.nextGaussian());
    }

    @Test
    @DisplayName("a learned daily cycle is (all but once a week) not flagged; a level shift afterwards is")
    void dailyCycleIsNotFlaggedButALevelShiftIs() {
        AnomalyDetector detector = new AnomalyDetector(ForecastParams.defaults());
        Random noise = new Random(11);
        int quietFlags = 0;
        int days = 14;
        for (int i = 0; i < days * PER_DAY; i++) {
            double score = detector.update(i * STEP, traffic(i, noise));
            assertTrue(score >= 0 && score <= 1, "score in [0, 1]: " + score);
            if (i >= 7 * PER_DAY) {
                quietFlags += score >= 0.5 ? 1 : 0;
            }
        }
        double shiftMax = 0;
        for (int i = days * PER_DAY; i < days * PER_DAY + 12; i++) {
            shiftMax = Math.max(shiftMax, detector.update(i * STEP, 2.5 * traffic(i, noise)));
        }

        // the noise sets the odd new high (a 3-sigma point), which scores high once; the cycle itself does not
        assertTrue(quietFlags <= 2, quietFlags + " of " + 7 * PER_DAY + " points of a learned daily cycle score 0.5 or more");
        assertTrue(shiftMax >= 0.5, "the first point of a 2.5x level shift scores 0.5 or more, was " + shiftMax);
    }

    @Test
    @DisplayName("the seasonal forecast follows the daily cycle after a week")
    void seasonalForecastFollowsTheDailyCycle() {
        AnomalyDetector detector = new AnomalyDetector(ForecastParams.defaults());
        Random noise = new Random(5);
        for (int i = 0; i < 7 * PER_DAY; i++) {
            detector.update(i * STEP, traffic(i, noise));
        }
        int afternoon = 7 * PER_DAY + 15 * PER_DAY / 24;
        int night = 7 * PER_DAY + 3 * PER_DAY / 24;
        Random none = new Random(0) {
            @Override
            public synchronized double nextGaussian() {
                return 0;
            }
        };

        assertEquals(traffic(afternoon, none), detector.forecast(afternoon * STEP), 0.05 * traffic(afternoon, none));
        assertEquals(traffic(night, none), detector.forecast(night * STEP), 0.1 * traffic(night, none));
    }

    @Test
    @DisplayName("scores depend only on the past: a prefix of the series gets the same scores")
    void scoresDependOnlyOnThePast() {
        Random noise = new Random(9);
        double[] values = new double[3 * PER_DAY];
        for (int i = 0; i < values.length; i++) {
            values[i] = traffic(i, noise) * (i > 2 * PER_DAY ? 1.8 : 1);
        }
        AnomalyDetector full = new AnomalyDetector(ForecastParams.defaults());
        double[] scores = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            scores[i] = full.update(i * STEP, values[i]);
        }
        AnomalyDetector prefix = new AnomalyDetector(ForecastParams.defaults());
        for (int i = 0; i < 2 * PER_DAY + 10; i++) {
            assertEquals(scores[i], prefix.update(i * STEP, values[i]), 0.0, "row " + i);
        }
    }

    @Test
    @DisplayName("nothing is scored before the warm-up, and a non-finite value changes nothing")
    void warmUpAndNonFiniteValues() {
        ForecastParams p = ForecastParams.defaults();
        AnomalyDetector detector = new AnomalyDetector(p);
        for (int i = 0; i < p.warmupPoints(); i++) {
            assertEquals(0.0, detector.update(i * STEP, i % 2 == 0 ? 1 : 1000), "row " + i);
        }
        long before = detector.points();
        detector.update(p.warmupPoints() * STEP, Double.NaN);

        assertEquals(before, detector.points());
    }
}
