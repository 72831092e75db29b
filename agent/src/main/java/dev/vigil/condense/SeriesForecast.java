package dev.vigil.condense;

import dev.vigil.condense.forecast.AnomalyDetector;
import dev.vigil.condense.forecast.ForecastParams;
import dev.vigil.condense.forecast.RobustTrend;
import dev.vigil.fact.Forecast;
import dev.vigil.fact.SeriesState;

/**
 * The online detectors of one series: its samples folded into one point per step, fed in time order to a robust
 * trend, a shorter recent one, and an anomaly detector (which holds the seasonal forecaster). Constant memory, no look-ahead: a step's point
 * is learned only once the step is over. Not thread-safe: the condense stage's thread only.
 *
 * <p>Kept beside the {@link SeriesState} rather than in it: the state's sample buffer serves window queries, the
 * detectors need none of it.
 */
final class SeriesForecast {
    private final ForecastConfig config;
    private final boolean counter;
    private final RobustTrend trend;
    private final RobustTrend recent;
    private final AnomalyDetector detector;
    private long step = Long.MIN_VALUE;
    private long stepLastTime;
    private double stepMin;
    private double stepIncrease;
    private long stepCoveredMillis;
    private long prevTime = Long.MIN_VALUE;
    private double prevValue;
    private long firstPointTime = Long.MIN_VALUE;
    private long points;
    private long lastPointTime;
    private double lastPoint = Double.NaN;
    private double lastExpected = Double.NaN;
    private double lastScore;
    private final double[] recentScores;
    private int nextScore;

    SeriesForecast(ForecastConfig config, boolean counter) {
        this.config = config;
        this.counter = counter;
        this.trend = new RobustTrend(config.detectors());
        ForecastParams p = config.detectors();
        this.recent = new RobustTrend(new ForecastParams(config.recentPoints(), p.trendConfidenceZ(), p.levelAlpha(),
                p.dayGamma(), p.weekGamma(), p.daySlots(), p.errorHalfLife(), p.shortPoints(), p.historyHalfLife(),
                p.warmupPoints(), p.cusumDrift(), p.cusumLimit(), p.refractoryHalfLife()));
        this.detector = new AnomalyDetector(config.detectors());
        this.recentScores = new double[config.recentPoints()];
    }

    /** Takes in one sample (in time order); returns true when it closed a step, so the forecast changed. */
    boolean add(long timeMillis, double value) {
        if (timeMillis <= prevTime) {
            return false;
        }
        long s = Math.floorDiv(timeMillis, config.stepMillis());
        boolean closed = false;
        if (s != step) {
            closed = closeStep();
            step = s;
            stepMin = Double.POSITIVE_INFINITY;
            stepIncrease = 0;
            stepCoveredMillis = 0;
        }
        stepMin = Math.min(stepMin, value);
        if (counter && prevTime != Long.MIN_VALUE) {
            // a counter that went down was reset: what it counts since is its whole value, as Prometheus' rate()
            stepIncrease += value >= prevValue ? value - prevValue : value;
            stepCoveredMillis += timeMillis - prevTime;
        }
        stepLastTime = timeMillis;
        prevTime = timeMillis;
        prevValue = value;
        return closed;
    }

    private boolean closeStep() {
        if (step == Long.MIN_VALUE) {
            return false;
        }
        double point;
        if (counter) {
            if (stepCoveredMillis <= 0) {
                return false; // the first sample of a counter: no rate yet
            }
            point = stepIncrease * 1000.0 / stepCoveredMillis;
        } else {
            point = stepMin;
        }
        lastExpected = detector.forecast(stepLastTime);
        lastScore = detector.update(stepLastTime, point);
        recentScores[nextScore] = lastScore;
        nextScore = (nextScore + 1) % recentScores.length;
        trend.add(stepLastTime, point);
        recent.add(stepLastTime, point);
        if (firstPointTime == Long.MIN_VALUE) {
            firstPointTime = stepLastTime;
        }
        points++;
        lastPointTime = stepLastTime;
        lastPoint = point;
        return true;
    }

    /** The forecast fact of the series as of its newest whole step; null before the first. */
    Forecast forecast(SeriesState s) {
        if (points == 0) {
            return null;
        }
        return new Forecast(s.name(), s.labels(), s.service(), s.host(), lastPointTime, lastPoint, trend.fit(), recent.fit(),
                lastExpected, usualPeak(), heldScore(), config.anomalyThreshold(), points);
    }

    /**
     * The highest score of the recent steps (as many as the recent trend spans). The detector reports an anomaly once,
     * at its onset, and damps it after; as evidence it holds while the recent trend still sees the change.
     */
    private double heldScore() {
        double max = 0;
        for (double v : recentScores) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** The highest seasonal forecast over the horizon, once a whole day was seen (before, no daily cycle is known). */
    private double usualPeak() {
        if (lastPointTime - firstPointTime < 86_400_000L) {
            return Double.NaN;
        }
        double peak = Double.NEGATIVE_INFINITY;
        for (long t = lastPointTime + config.stepMillis(); t <= lastPointTime + config.horizonMillis(); t += config.stepMillis()) {
            peak = Math.max(peak, detector.forecast(t));
        }
        return peak;
    }
}
