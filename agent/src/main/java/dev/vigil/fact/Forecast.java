package dev.vigil.fact;

import java.util.Collection;
import java.util.Map;

/**
 * What the online detectors of the condense stage say about one series, as of its newest whole step: a robust trend
 * (for a time to any threshold, with its uncertainty), what the seasonal model expects, and an anomaly score.
 * Immutable; the condense stage replaces it with a new one each time a step of the series closes.
 *
 * <p>A step's point is the minimum of a gauge over the step (the floor a sawtooth returns to) or the per-second rate
 * of a counter over it, so the trend of a heap is the trend of its post-GC floor and the trend of a request counter
 * is the trend of the request rate.
 *
 * @param name             the metric name
 * @param labels           the series' labels
 * @param service          the service the series belongs to ("" when unknown)
 * @param host             the host the series belongs to ("" when unknown)
 * @param time             the time of the newest sample of the newest whole step, epoch ms
 * @param value            the newest step's point (floor of a gauge, rate of a counter)
 * @param trend            the Theil–Sen fit over the newest steps, with Sen's slope interval
 * @param recent           the same fit over fewer, newer steps: it follows a change of regime sooner
 * @param expected         what the seasonal model expected for the newest step, before it saw it (NaN at first)
 * @param usualPeak        the highest value the seasonal model expects over the forecast horizon; NaN until it has
 *                         seen a whole day of the series (before that it knows no daily cycle)
 * @param anomalyScore     how unlikely the recent steps are given everything before them, in [0, 1]: the highest
 *                         score of the steps the recent trend spans (an anomaly is scored once, at its onset)
 * @param anomalyThreshold the configured score from which the series counts as anomalous
 * @param steps            how many steps the detectors have learned
 */
public record Forecast(String name, Labels labels, String service, String host, long time, double value, Trend trend,
                       Trend recent, double expected, double usualPeak, double anomalyScore, double anomalyThreshold, long steps) {

    /** The canonical key of the labels, to join the forecast with the {@link SeriesState} of the same series. */
    public String seriesKey() {
        return labels.key();
    }

    public String label(String label) {
        return labels.getOrDefault(label, "");
    }

    /** The target this series belongs to: service and host, plus the given labels of its own. */
    public Target target(String... extraLabels) {
        Target t = Target.serviceHost(service, host);
        for (String l : extraLabels) {
            t = t.with(l, labels.get(l));
        }
        return t;
    }

    /**
     * True when every label of {@code target} names this series: {@code service} and {@code host} as resolved by the
     * condense stage, any other label as the series carries it.
     */
    public boolean belongsTo(Target target) {
        for (Map.Entry<String, String> e : target.labels().entrySet()) {
            String mine = switch (e.getKey()) {
                case "service" -> service;
                case "host" -> host;
                default -> label(e.getKey());
            };
            if (!e.getValue().equals(mine)) {
                return false;
            }
        }
        return true;
    }

    /** This forecast with its recent trend in the place of the long one (for the time to a threshold, and its words). */
    public Forecast withRecentTrend() {
        return new Forecast(name, labels, service, host, time, value, recent, recent, expected, usualPeak, anomalyScore,
                anomalyThreshold, steps);
    }

    /** How much time the trend was fitted over, in seconds. */
    public double spanSeconds() {
        return trend.spanSeconds();
    }

    /** Seconds until the fitted line reaches {@code threshold}; +infinity when it moves away or is flat. */
    public double secondsUntil(double threshold) {
        return trend.secondsUntil(threshold);
    }

    /**
     * Half the width of the interval of crossing times that the slope interval allows, in seconds: the "±" of
     * {@link #secondsUntil}. +infinity when the slower end of the interval never reaches the threshold.
     */
    public double uncertaintySeconds(double threshold) {
        double early = trend.secondsUntilEarliest(threshold);
        double late = trend.secondsUntilLatest(threshold);
        if (Double.isInfinite(late) || Double.isInfinite(early)) {
            return Double.POSITIVE_INFINITY;
        }
        return (late - early) / 2;
    }

    /** True when the anomaly score is at least the configured threshold. */
    public boolean anomalous() {
        return anomalyScore >= anomalyThreshold;
    }

    /**
     * When the trend reaches {@code threshold}, in words: "in 2h 10m ± 25m", or "in 2h 10m (not before 1h 40m)" when
     * the slowest plausible slope never gets there, or "never" when the trend does not move towards it.
     */
    public String describeUntil(double threshold) {
        double t = secondsUntil(threshold);
        if (Double.isInfinite(t)) {
            return "never";
        }
        if (t <= 0) {
            return "now";
        }
        double u = uncertaintySeconds(threshold);
        if (Double.isInfinite(u)) {
            return "in " + Describe.seconds(t) + " (not before " + Describe.seconds(trend.secondsUntilEarliest(threshold)) + ")";
        }
        return "in " + Describe.seconds(t) + " ± " + Describe.seconds(u);
    }

    /** The anomaly in words, for a reason: "anomaly score 0.93 (from 0.8) on node_filesystem_avail_bytes: 1.2e9, expected 3.4e9". */
    public String describeAnomaly() {
        return "anomaly score " + Describe.number(Math.round(anomalyScore * 100) / 100.0) + " (from "
                + Describe.number(anomalyThreshold) + ") on " + name
                + (Double.isNaN(expected) ? "" : ": " + Describe.number(round3(value)) + ", expected "
                + Describe.number(round3(expected)));
    }

    private static double round3(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        double scale = Math.pow(10, 2 - Math.floor(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }

    /**
     * The sum of the forecasts of several series of one quantity (the request rates of a service's instances), left
     * out those whose newest step is more than {@code staleMillis} older than the newest one (a pod gone): levels,
     * slopes and their bounds, expectations and usual peaks add up (a usual peak is unknown when one is); the anomaly
     * score is the highest; the steps and span are those of the shortest history. Null when none is left.
     */
    public static Forecast sum(Collection<?> forecasts, long staleMillis) {
        long newest = Long.MIN_VALUE;
        for (Object o : forecasts) {
            newest = Math.max(newest, ((Forecast) o).time);
        }
        Forecast first = null;
        double value = 0;
        double expected = 0;
        double usualPeak = 0;
        double score = 0;
        double slope = 0;
        double low = 0;
        double high = 0;
        double level = 0;
        double rSlope = 0;
        double rLow = 0;
        double rHigh = 0;
        double rLevel = 0;
        int rPoints = Integer.MAX_VALUE;
        double rSpan = Double.POSITIVE_INFINITY;
        int points = Integer.MAX_VALUE;
        double span = Double.POSITIVE_INFINITY;
        long steps = Long.MAX_VALUE;
        for (Object o : forecasts) {
            Forecast f = (Forecast) o;
            if (newest - f.time > staleMillis) {
                continue;
            }
            first = first == null ? f : first;
            value += f.value;
            expected += f.expected;
            usualPeak += f.usualPeak;
            score = Math.max(score, f.anomalyScore);
            slope += f.trend.slope();
            low += f.trend.slopeLow();
            high += f.trend.slopeHigh();
            level += f.trend.level();
            points = Math.min(points, f.trend.points());
            rSlope += f.recent.slope();
            rLow += f.recent.slopeLow();
            rHigh += f.recent.slopeHigh();
            rLevel += f.recent.level();
            rPoints = Math.min(rPoints, f.recent.points());
            rSpan = Math.min(rSpan, f.recent.spanSeconds());
            span = Math.min(span, f.trend.spanSeconds());
            steps = Math.min(steps, f.steps);
        }
        if (first == null) {
            return null;
        }
        return new Forecast(first.name, Labels.EMPTY, first.service, "", newest, value,
                new Trend(slope, low, high, level, points, span), new Trend(rSlope, rLow, rHigh, rLevel, rPoints, rSpan), expected, usualPeak, score, first.anomalyThreshold, steps);
    }

    /** Like {@link #secondsUntil}, but 0 when the fitted level is at or above {@code threshold} already. */
    public double secondsUntilAbove(double threshold) {
        return trend.level() >= threshold ? 0 : secondsUntil(threshold);
    }

    /** The forecast with the highest anomaly score among {@code forecasts} (of {@link Forecast}); null when empty. */
    public static Forecast mostAnomalous(Collection<?> forecasts) {
        Forecast best = null;
        for (Object o : forecasts) {
            Forecast f = (Forecast) o;
            if (best == null || f.anomalyScore > best.anomalyScore) {
                best = f;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "Forecast" + name + labels + "@" + time + " trend " + trend.slope() + "/s score " + anomalyScore;
    }
}
