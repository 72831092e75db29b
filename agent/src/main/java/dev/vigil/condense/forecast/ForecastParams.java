package dev.vigil.condense.forecast;

/**
 * The global parameters of the forecasting layer: the same for every series, set once in the daemon config
 * ({@code forecast:}) or left at {@link #defaults()}. Immutable.
 *
 * @param trendPoints       newest points the robust trend is fitted over (3–512; memory and fit cost grow with it)
 * @param trendConfidenceZ  normal quantile of the slope interval (1.645: a 90 % interval)
 * @param levelAlpha        smoothing of the seasonal forecaster's level per point, in (0, 1]
 * @param dayGamma          smoothing of a time-of-day offset per visit of its slot, in [0, 1]; 0 turns the daily cycle off
 * @param weekGamma         smoothing of a day-of-week offset per point on that day, in [0, 1]; 0 turns the weekly cycle off
 * @param daySlots          time-of-day slots of the daily cycle (48: half an hour each), 1–1440
 * @param errorHalfLife     points over which the scale of forecast errors is averaged
 * @param shortPoints       newest points whose errors are averaged into the surprise of "now" (1–64)
 * @param historyHalfLife   points over which the usual surprise is learned; a surprise is judged against it
 * @param warmupPoints      points a series must have before it is scored at all (its score is 0 before)
 * @param cusumDrift        slack of the change detector, in forecast-error scales per point
 * @param cusumLimit        accumulated drift, in error scales, that counts as a certain change
 * @param refractoryHalfLife points over which the memory of the last reported anomaly fades; one anomaly is reported
 *                          once, not at every point of it
 * @param rarityWeight      share, in [0, 1], of the anomaly score that is the rarity of the evidence among the
 *                          series' own past evidence (0 turns it off)
 * @param rarityHalfLife    points over which the series' past evidence is forgotten when judging its rarity
 */
public record ForecastParams(int trendPoints, double trendConfidenceZ, double levelAlpha, double dayGamma,
                             double weekGamma, int daySlots, double errorHalfLife, int shortPoints,
                             double historyHalfLife, int warmupPoints, double cusumDrift, double cusumLimit,
                             double refractoryHalfLife, double rarityWeight, double rarityHalfLife) {
    public ForecastParams {
        check("trend_points", trendPoints, 3, 512);
        check("trend_confidence_z", trendConfidenceZ, 0, 10);
        if (!(levelAlpha > 0 && levelAlpha <= 1)) {
            throw new IllegalArgumentException("level_alpha must be in (0, 1], was " + levelAlpha);
        }
        check("day_gamma", dayGamma, 0, 1);
        check("week_gamma", weekGamma, 0, 1);
        check("day_slots", daySlots, 1, 1440);
        check("error_half_life", errorHalfLife, 1, 1e9);
        check("short_points", shortPoints, 1, 64);
        check("history_half_life", historyHalfLife, 1, 1e9);
        check("warmup_points", warmupPoints, 0, 1_000_000);
        check("cusum_drift", cusumDrift, 0, 100);
        check("cusum_limit", cusumLimit, 1e-3, 1e6);
        check("refractory_half_life", refractoryHalfLife, 0, 1e9);
        check("rarity_weight", rarityWeight, 0, 1);
        check("rarity_half_life", rarityHalfLife, 1, 1e9);
    }

    /** The parameters before the rarity of evidence existed; it is then off (weight 0). */
    public ForecastParams(int trendPoints, double trendConfidenceZ, double levelAlpha, double dayGamma,
                          double weekGamma, int daySlots, double errorHalfLife, int shortPoints,
                          double historyHalfLife, int warmupPoints, double cusumDrift, double cusumLimit,
                          double refractoryHalfLife) {
        this(trendPoints, trendConfidenceZ, levelAlpha, dayGamma, weekGamma, daySlots, errorHalfLife, shortPoints,
                historyHalfLife, warmupPoints, cusumDrift, cusumLimit, refractoryHalfLife, 0, 2500);
    }

    /** The documented defaults, tuned once on the NAB operational subset (see {@code vigil bench nab}). */
    public static ForecastParams defaults() {
        return new ForecastParams(64, 1.645, 0.009, 0.2, 0.02, 48, 200, 1, 2000, 150, 0.275, 24, 850, 0.15, 2500);
    }

    private static void check(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + format(min) + ", " + format(max) + "], was " + format(value));
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
