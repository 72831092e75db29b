package dev.vigil.fact;

/**
 * A robust straight-line fit of a series over a window (Theil–Sen: the median of pairwise slopes),
 * with the spread of those slopes as its uncertainty. Immutable.
 *
 * @param slope      per second, the median pairwise slope
 * @param slopeLow   per second, the lower quartile of pairwise slopes
 * @param slopeHigh  per second, the upper quartile of pairwise slopes
 * @param level      the fitted value at the end of the window
 * @param points     how many samples the fit used
 * @param spanSeconds how much time those samples cover
 */
public record Trend(double slope, double slopeLow, double slopeHigh, double level, int points, double spanSeconds) {
    public static final Trend NONE = new Trend(0, 0, 0, Double.NaN, 0, 0);

    /** Seconds until the fitted line reaches {@code threshold}; +infinity when it is moving away or flat. */
    public double secondsUntil(double threshold) {
        return secondsUntil(threshold, slope);
    }

    /** The earliest plausible crossing (from the steeper quartile slope). */
    public double secondsUntilEarliest(double threshold) {
        double a = secondsUntil(threshold, slopeLow);
        double b = secondsUntil(threshold, slopeHigh);
        return Math.min(a, b);
    }

    /** The latest plausible crossing (from the shallower quartile slope). */
    public double secondsUntilLatest(double threshold) {
        double a = secondsUntil(threshold, slopeLow);
        double b = secondsUntil(threshold, slopeHigh);
        double m = Math.max(a, b);
        return Double.isNaN(m) ? Double.POSITIVE_INFINITY : m;
    }

    private double secondsUntil(double threshold, double s) {
        if (points < 3 || Double.isNaN(level)) {
            return Double.POSITIVE_INFINITY;
        }
        double gap = threshold - level;
        if (gap == 0) {
            return 0;
        }
        if (s == 0 || Math.signum(gap) != Math.signum(s)) {
            return Double.POSITIVE_INFINITY;
        }
        return gap / s;
    }
}
