package dev.vigil.condense.forecast;

/**
 * The anomaly score of one series, point by point, in [0, 1]: how unlikely the newest point is given what the
 * series did before. It combines the seasonal forecast's error (is this point surprising?), a change detector (has
 * the series moved to a new regime?) and novelty (is the value outside everything seen so far?), and weighs the
 * result by how rare such evidence is for this series.
 * Not thread-safe: one instance per series, fed in time order.
 *
 * <p>Implementation note: every point is scored before it is learned (no look-ahead), in O(1) time and constant
 * memory. Three pieces of evidence, each in units where about 1 is notable:
 * <ul>
 *   <li>surprise: the mean of the newest {@code shortPoints} absolute forecast errors over the running mean absolute
 *       error, as a z-score against its own long-run mean and spread (as in Numenta's anomaly likelihood);</li>
 *   <li>change: a two-sided CUSUM of the scaled errors over {@code cusumLimit};</li>
 *   <li>novelty: how far the value lies outside the range seen so far, in mean absolute errors.</li>
 * </ul>
 * The strongest, e, becomes e / (e + 1). That is blended ({@code rarityWeight}) with the rarity of e among this
 * series' own past evidence ({@link EvidenceRarity}, forgotten over {@code rarityHalfLife} points), so that a series
 * whose errors are always large, or that spikes every day, needs more to score as high as a quiet one. An anomaly is
 * reported once: a score below the fading memory of the last reported one ({@code refractoryHalfLife}) is halved,
 * so one long anomaly does not count as many. The weights were chosen on the NAB operational subset (see
 * {@code vigil bench nab} and {@code agent/src/bench/RESULTS.md}, which also says how sensitive the score is to
 * them); that benchmark rewards even a small new extreme, so novelty weighs most.
 */
public final class AnomalyDetector {
    private static final double SURPRISE_WEIGHT = 0.05;
    private static final double CHANGE_WEIGHT = 0.6;
    private static final double NOVELTY_WEIGHT = 5;
    private static final double REPEAT_DAMPING = 0.5;

    private final ForecastParams params;
    private final SeasonalForecaster forecaster;
    private final double errorRate;
    private final double historyRate;
    private final double refractoryDecay;
    private final double[] recent;
    private final EvidenceRarity rarity;
    private int recentNext;
    private double recentSum;
    private long points;
    private double meanAbsError;
    private double surpriseMean;
    private double surpriseVar;
    private double cusumUp;
    private double cusumDown;
    private double minSeen = Double.POSITIVE_INFINITY;
    private double maxSeen = Double.NEGATIVE_INFINITY;
    private double reported;
    private double lastScore;

    public AnomalyDetector(ForecastParams params) {
        this.params = params;
        this.forecaster = new SeasonalForecaster(params);
        this.errorRate = rate(params.errorHalfLife());
        this.historyRate = rate(params.historyHalfLife());
        this.refractoryDecay = params.refractoryHalfLife() == 0 ? 0 : Math.pow(0.5, 1 / params.refractoryHalfLife());
        this.recent = new double[params.shortPoints()];
        this.rarity = new EvidenceRarity(params.rarityHalfLife());
    }

    private static double rate(double halfLife) {
        return 1 - Math.pow(0.5, 1 / halfLife);
    }

    /** Scores the point against everything before it, then learns it; returns the score in [0, 1]. */
    public double update(long timeMillis, double value) {
        if (!Double.isFinite(value)) {
            return lastScore;
        }
        points++;
        double forecast = forecaster.forecast(timeMillis);
        forecaster.update(timeMillis, value);
        if (Double.isNaN(forecast)) {
            minSeen = value;
            maxSeen = value;
            return lastScore = 0;
        }
        double error = value - forecast;
        double absError = Math.abs(error);
        // a floor on the scale keeps a series that was constant until now from dividing by zero
        double floor = 1e-9 * Math.max(1, Math.abs(value));
        double scale = Math.max(meanAbsError, floor);
        double surprise = Math.min(absError / scale, 1e3);
        recentSum += surprise - recent[recentNext];
        recent[recentNext] = surprise;
        recentNext = (recentNext + 1) % recent.length;
        double shortSurprise = recentSum / Math.min(points - 1, recent.length);
        double z = (shortSurprise - surpriseMean) / Math.sqrt(surpriseVar + 1e-12);

        double scaled = Math.max(-1e3, Math.min(1e3, error / scale));
        cusumUp = Math.max(0, cusumUp + scaled - params.cusumDrift());
        cusumDown = Math.max(0, cusumDown - scaled - params.cusumDrift());
        double change = Math.max(cusumUp, cusumDown) / params.cusumLimit();

        double novelty = Math.max(0, Math.max(value - maxSeen, minSeen - value)) / scale;

        learn(value, absError, shortSurprise);
        if (points <= params.warmupPoints()) {
            return lastScore = 0;
        }
        double evidence = Math.max(0, Math.max(SURPRISE_WEIGHT * z, Math.max(CHANGE_WEIGHT * change, NOVELTY_WEIGHT * novelty)));
        double raw = evidence / (evidence + 1);
        if (params.rarityWeight() > 0) {
            raw = (1 - params.rarityWeight()) * raw + params.rarityWeight() * rarity.rarityThenLearn(evidence);
        }
        double memory = reported * refractoryDecay;
        if (raw > memory) {
            reported = raw;
            return lastScore = raw;
        }
        reported = memory;
        return lastScore = raw * REPEAT_DAMPING;
    }

    private void learn(double value, double absError, double shortSurprise) {
        double a = Math.max(errorRate, 1.0 / points);
        meanAbsError += a * (absError - meanAbsError);
        long judged = points - params.warmupPoints() / 2;
        if (judged > 0) {
            // what is usual is learned once the error scale has settled, not from the first wild surprises
            double h = Math.max(historyRate, 1.0 / judged);
            double d = shortSurprise - surpriseMean;
            surpriseMean += h * d;
            surpriseVar = (1 - h) * (surpriseVar + h * d * d);
        }
        if (Math.max(cusumUp, cusumDown) >= params.cusumLimit()) {
            cusumUp = 0; // a change once reported starts a new regime
            cusumDown = 0;
        }
        minSeen = Math.min(minSeen, value);
        maxSeen = Math.max(maxSeen, value);
    }

    /** The seasonal forecast for {@code timeMillis} from the points seen so far (NaN before the first). */
    public double forecast(long timeMillis) {
        return forecaster.forecast(timeMillis);
    }

    public long points() {
        return points;
    }
}
