package dev.vigil.condense.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.Trend;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RobustTrendTest {
    private static final ForecastParams PARAMS = ForecastParams.defaults();

    @Test
    @DisplayName("a noisy linear fill reaches the threshold at the true time, inside the stated interval")
    void linearFillReachesThresholdWithinItsInterval() {
        // a disk filling at 0.01 %/s (36 %/h) from 40 %, sampled every 15 s with ±0.5 % noise
        double rate = 0.01;
        Random noise = new Random(7);
        RobustTrend trend = new RobustTrend(PARAMS);
        long t = 0;
        double truth = 40;
        for (int i = 0; i < 200; i++) {
            t = i * 15_000L;
            truth = 40 + rate * t / 1000.0;
            trend.add(t, truth + (noise.nextDouble() - 0.5));
        }
        Trend fit = trend.fit();
        double trueSeconds = (100 - truth) / rate;

        double forecast = fit.secondsUntil(100);
        assertTrue(fit.secondsUntilEarliest(100) <= trueSeconds && trueSeconds <= fit.secondsUntilLatest(100),
                "true " + trueSeconds + " s within [" + fit.secondsUntilEarliest(100) + ", " + fit.secondsUntilLatest(100) + "]");
        assertEquals(trueSeconds, forecast, 0.05 * trueSeconds, "median forecast within 5 % of the truth");
        assertTrue(fit.secondsUntilLatest(100) - fit.secondsUntilEarliest(100) < 0.2 * trueSeconds,
                "the interval is narrow enough to act on: " + fit);
    }

    @Test
    @DisplayName("a flat series never reaches a threshold above it")
    void flatSeriesNeverReachesThreshold() {
        Random noise = new Random(3);
        RobustTrend trend = new RobustTrend(PARAMS);
        for (int i = 0; i < 100; i++) {
            trend.add(i * 60_000L, 50 + noise.nextGaussian());
        }
        Trend fit = trend.fit();

        assertTrue(fit.slopeLow() <= 0 && fit.slopeHigh() >= 0, "the slope interval holds 0: " + fit);
        assertEquals(Double.POSITIVE_INFINITY, fit.secondsUntilLatest(100));
    }

    @Test
    @DisplayName("the fit covers only the newest trend_points points: memory stays constant")
    void fitCoversOnlyTheNewestPoints() {
        RobustTrend trend = new RobustTrend(PARAMS);
        for (int i = 0; i < 10 * PARAMS.trendPoints(); i++) {
            // falling at first, then rising at 2/s over the newest window
            double v = i < 9 * PARAMS.trendPoints() ? -i : 2.0 * i;
            trend.add(i * 1000L, v);
        }

        assertEquals(PARAMS.trendPoints(), trend.points());
        assertEquals(2.0, trend.fit().slope(), 1e-9);
        assertEquals((PARAMS.trendPoints() - 1), trend.fit().spanSeconds(), 1e-9);
    }

    @Test
    @DisplayName("a sample older than the newest is ignored and one at the same time replaces it")
    void outOfOrderSamplesAreIgnored() {
        RobustTrend trend = new RobustTrend(PARAMS);
        trend.add(1000, 1);
        trend.add(2000, 2);
        trend.add(1500, 100);
        trend.add(3000, 50);
        trend.add(3000, 3);

        assertEquals(3, trend.points());
        assertEquals(1.0, trend.fit().slope(), 1e-9);
    }
}
