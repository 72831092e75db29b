package dev.vigil.condense;

import dev.vigil.condense.forecast.ForecastParams;

/**
 * How the condense stage runs the online detectors on live series: the detectors' global parameters, the step their
 * points are taken at, and the bounds. Immutable; set once from the {@code forecast:} section of the config.
 *
 * @param detectors        the parameters of the trend, seasonal forecaster and anomaly score (the same for every series)
 * @param stepMillis       one point per series per step: a gauge's minimum over it, a counter's rate over it; the
 *                         trend spans {@code detectors.trendPoints()} steps
 * @param recentPoints     steps of a second, shorter trend, for changes of regime (a surge after a quiet hour) that
 *                         the long trend, robust by design, follows only once they fill half its window
 * @param horizonMillis    how far ahead the seasonal forecast's usual peak is looked for
 * @param anomalyThreshold the anomaly score from which a series counts as anomalous (generic {@code anomaly} evidence)
 * @param maxSeries        most series with detectors at once; new ones beyond are not forecast, and counted
 */
public record ForecastConfig(ForecastParams detectors, long stepMillis, int recentPoints, long horizonMillis,
                             double anomalyThreshold, int maxSeries) {
    public ForecastConfig {
        if (recentPoints < 3 || recentPoints > detectors.trendPoints()) {
            throw new IllegalArgumentException("recent_points must be between 3 and trend_points (" + detectors.trendPoints()
                    + "), was " + recentPoints);
        }
        if (stepMillis < 1_000 || stepMillis > 86_400_000L) {
            throw new IllegalArgumentException("step must be between 1s and 1d, was " + stepMillis + " ms");
        }
        if (horizonMillis < stepMillis || horizonMillis > 7 * 86_400_000L) {
            throw new IllegalArgumentException("horizon must be between one step and 7d, was " + horizonMillis + " ms");
        }
        if (!(anomalyThreshold > 0 && anomalyThreshold <= 1)) {
            throw new IllegalArgumentException("anomaly_threshold must be in (0, 1], was " + anomalyThreshold);
        }
        if (maxSeries < 0) {
            throw new IllegalArgumentException("max_series must be >= 0, was " + maxSeries);
        }
    }

    /** The detectors' defaults, one point a minute, a recent trend over 20 of them, a one-hour horizon, anomalous from 0.8, at most 2 000 series (about 3.5 KiB each). */
    public static ForecastConfig defaults() {
        return new ForecastConfig(ForecastParams.defaults(), 60_000L, 20, 3_600_000L, 0.8, 2_000);
    }
}
