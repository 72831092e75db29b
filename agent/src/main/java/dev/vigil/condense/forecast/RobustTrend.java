package dev.vigil.condense.forecast;

import dev.vigil.fact.Trend;
import java.util.Arrays;

/**
 * A robust straight-line fit over the newest points of one series (Theil–Sen: the median of pairwise slopes) with
 * Sen's rank-based confidence interval for the slope, so a time-to-threshold comes with its uncertainty.
 * Not thread-safe: one instance per series, updated and read by one thread.
 *
 * <p>Implementation note: a ring buffer of {@link ForecastParams#trendPoints()} points is all the state (constant
 * memory per series). {@link #add} is O(1); {@link #fit} is O(n² log n) in the window size and cached until the next
 * point, so it costs nothing while nobody asks for it.
 */
public final class RobustTrend {
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[0]);

    private final long[] times;
    private final double[] values;
    private final double confidenceZ;
    private int next;
    private int size;
    private Trend cached;

    public RobustTrend(ForecastParams params) {
        int n = params.trendPoints();
        this.times = new long[n];
        this.values = new double[n];
        this.confidenceZ = params.trendConfidenceZ();
    }

    /** Adds a point; a point not newer than the last one replaces it (same time) or is ignored (older). */
    public void add(long timeMillis, double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        if (size > 0) {
            int last = (next - 1 + times.length) % times.length;
            if (timeMillis <= times[last]) {
                if (timeMillis == times[last]) {
                    values[last] = value;
                    cached = null;
                }
                return;
            }
        }
        times[next] = timeMillis;
        values[next] = value;
        next = (next + 1) % times.length;
        size = Math.min(size + 1, times.length);
        cached = null;
    }

    public int points() {
        return size;
    }

    /**
     * The fit over the window: median slope per second, the slope interval at the configured confidence, and the
     * fitted level at the newest point. {@link Trend#NONE} with fewer than 3 points.
     */
    public Trend fit() {
        if (cached != null) {
            return cached;
        }
        if (size < 3) {
            return Trend.NONE;
        }
        int first = (next - size + times.length) % times.length;
        double[] slopes = scratch(size * (size - 1) / 2);
        int c = 0;
        for (int a = 0; a < size; a++) {
            int ia = (first + a) % times.length;
            for (int b = a + 1; b < size; b++) {
                int ib = (first + b) % times.length;
                slopes[c++] = (values[ib] - values[ia]) * 1000.0 / (times[ib] - times[ia]);
            }
        }
        Arrays.sort(slopes, 0, c);
        double slope = median(slopes, c);
        // Sen (1968): the slope interval runs between the pairwise slopes of ranks (N ∓ C) / 2,
        // C = z·sqrt(n(n−1)(2n+5)/18), the spread of Kendall's S under no trend.
        double spread = confidenceZ * Math.sqrt(size * (size - 1.0) * (2.0 * size + 5) / 18.0);
        int lo = (int) Math.max(0, Math.floor((c - spread) / 2.0));
        int hi = (int) Math.min(c - 1, Math.ceil((c + spread) / 2.0));
        double slopeLo = slopes[lo];
        double slopeHi = slopes[hi];
        long end = times[(next - 1 + times.length) % times.length];
        double[] residuals = slopes; // the slopes are read: the scratch holds the residuals now
        for (int k = 0; k < size; k++) {
            int i = (first + k) % times.length;
            residuals[k] = values[i] - slope * (times[i] - end) / 1000.0;
        }
        Arrays.sort(residuals, 0, size);
        cached = new Trend(slope, slopeLo, slopeHi, median(residuals, size), size, (end - times[first]) / 1000.0);
        return cached;
    }

    private static double[] scratch(int n) {
        double[] s = SCRATCH.get();
        if (s.length < n) {
            s = new double[n];
            SCRATCH.set(s);
        }
        return s;
    }

    private static double median(double[] sorted, int n) {
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
