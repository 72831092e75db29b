package dev.vigil.fact;

import java.util.Arrays;

/**
 * The uncompressed SeriesState as it was before samples were packed (16 B a sample): the oracle that
 * {@link SeriesStateTest} compares the packed one against, operation by operation.
 *
 * <p>Original description:
 * The condensed state of one metric series: its recent samples in a bounded buffer and the window statistics rules
 * ask for (held-for durations, min/max, counter increases, a robust trend).
 *
 * <p>Updated in place by the condense stage and read by rules; confined to the engine thread, not thread-safe.
 * Window queries end at the newest sample ({@link #time()}), so they change only when the series does.
 */
final class ReferenceSeriesState {
    private final String name;
    private final Labels labels;
    private final String service;
    private final String host;
    private final boolean counter;
    private final long retentionMillis;
    private final int capacity;

    private long[] times;
    private double[] values;
    private int size;
    private long firstSeen;

    private int trendSize = -1;
    private long trendTime;
    private long trendWindow;
    private Trend trend = Trend.NONE;

    ReferenceSeriesState(String name, Labels labels, String service, String host, boolean counter,
                       long retentionMillis, int capacity) {
        if (capacity < 4) {
            throw new IllegalArgumentException("capacity must be at least 4, was " + capacity);
        }
        this.name = name;
        this.labels = labels;
        this.service = service == null ? "" : service;
        this.host = host == null ? "" : host;
        this.counter = counter;
        this.retentionMillis = retentionMillis;
        this.capacity = capacity;
        // the original started at 16 whatever the capacity, so a capacity under 16 thinned only at 16; the packed
        // one thins at its capacity, as documented
        this.times = new long[Math.min(16, capacity)];
        this.values = new double[times.length];
    }

    /** Appends a sample; an older or equal timestamp replaces nothing and is ignored. Condense stage only. */
    public boolean add(long timeMillis, double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (size > 0 && timeMillis <= times[size - 1]) {
            if (timeMillis == times[size - 1]) {
                values[size - 1] = value;
                return true;
            }
            return false;
        }
        if (size == 0) {
            firstSeen = timeMillis;
        }
        dropOlderThan(timeMillis - retentionMillis);
        if (size == times.length) {
            if (size >= capacity) {
                thinOldestHalf();
            } else {
                int n = Math.min(capacity, size * 2);
                times = Arrays.copyOf(times, n);
                values = Arrays.copyOf(values, n);
            }
        }
        times[size] = timeMillis;
        values[size] = value;
        size++;
        return true;
    }

    private void dropOlderThan(long cutoff) {
        int drop = 0;
        // keep one sample at or before the cutoff so a window that starts there is still covered
        while (drop + 1 < size && times[drop + 1] <= cutoff) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(times, drop, times, 0, size - drop);
            System.arraycopy(values, drop, values, 0, size - drop);
            size -= drop;
        }
    }

    /** Halves the resolution of the older half of the buffer, so long windows stay covered within the capacity. */
    private void thinOldestHalf() {
        int half = size / 2;
        int w = 0;
        for (int r = 0; r < half; r += 2) {
            times[w] = times[r];
            values[w] = values[r];
            w++;
        }
        for (int r = half; r < size; r++) {
            times[w] = times[r];
            values[w] = values[r];
            w++;
        }
        size = w;
    }

    public String name() {
        return name;
    }

    public Labels labels() {
        return labels;
    }

    /** The canonical key of the labels, to join series of one pool, one filesystem, one pod. */
    public String seriesKey() {
        return labels.key();
    }

    public String label(String label) {
        return labels.getOrDefault(label, "");
    }

    public String service() {
        return service;
    }

    public String host() {
        return host;
    }

    public boolean isCounter() {
        return counter;
    }

    public int samples() {
        return size;
    }

    /** The newest value (NaN before the first sample). */
    public double value() {
        return size == 0 ? Double.NaN : values[size - 1];
    }

    /** The time of the newest sample, epoch ms. */
    public long time() {
        return size == 0 ? Long.MIN_VALUE : times[size - 1];
    }

    public long firstSeen() {
        return firstSeen;
    }

    /** Seconds since the newest sample at {@code now}. */
    public double ageSeconds(Now now) {
        return (now.millis() - time()) / 1000.0;
    }

    /** The target this series belongs to: service and host, plus the given labels of its own. */
    public Target target(String... extraLabels) {
        Target t = Target.serviceHost(service, host);
        for (String l : extraLabels) {
            t = t.with(l, labels.get(l));
        }
        return t;
    }

    /** True when the buffer reaches back at least {@code seconds} before the newest sample. */
    public boolean covers(long seconds) {
        return size > 0 && times[0] <= time() - seconds * 1000L;
    }

    private int firstIndexWithin(long seconds) {
        long from = time() - seconds * 1000L;
        int i = size - 1;
        while (i > 0 && times[i - 1] >= from) {
            i--;
        }
        return i;
    }

    public double min(long seconds) {
        double m = Double.POSITIVE_INFINITY;
        for (int i = firstIndexWithin(seconds); i < size; i++) {
            m = Math.min(m, values[i]);
        }
        return size == 0 ? Double.NaN : m;
    }

    public double max(long seconds) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = firstIndexWithin(seconds); i < size; i++) {
            m = Math.max(m, values[i]);
        }
        return size == 0 ? Double.NaN : m;
    }

    public double avg(long seconds) {
        double s = 0;
        int start = firstIndexWithin(seconds);
        for (int i = start; i < size; i++) {
            s += values[i];
        }
        return size == 0 ? Double.NaN : s / (size - start);
    }

    /** How long, in seconds, the newest samples have been at least {@code threshold} without a break. */
    public double secondsAtLeast(double threshold) {
        return heldSeconds(threshold, true, true);
    }

    /** How long, in seconds, the newest samples have been strictly above {@code threshold}. */
    public double secondsAbove(double threshold) {
        return heldSeconds(threshold, true, false);
    }

    /** How long, in seconds, the newest samples have been strictly below {@code threshold}. */
    public double secondsBelow(double threshold) {
        return heldSeconds(threshold, false, false);
    }

    /** How long, in seconds, the newest samples have been at most {@code threshold}. */
    public double secondsAtMost(double threshold) {
        return heldSeconds(threshold, false, true);
    }

    public boolean atLeastFor(double threshold, long seconds) {
        return secondsAtLeast(threshold) >= seconds;
    }

    public boolean aboveFor(double threshold, long seconds) {
        return secondsAbove(threshold) >= seconds;
    }

    public boolean belowFor(double threshold, long seconds) {
        return secondsBelow(threshold) >= seconds;
    }

    public boolean atMostFor(double threshold, long seconds) {
        return secondsAtMost(threshold) >= seconds;
    }

    private double heldSeconds(double threshold, boolean upward, boolean inclusive) {
        int i = size - 1;
        while (i >= 0 && holds(values[i], threshold, upward, inclusive)) {
            i--;
        }
        if (i == size - 1) {
            return 0;
        }
        return (time() - times[i + 1]) / 1000.0;
    }

    private static boolean holds(double v, double threshold, boolean upward, boolean inclusive) {
        if (upward) {
            return inclusive ? v >= threshold : v > threshold;
        }
        return inclusive ? v <= threshold : v < threshold;
    }

    /** The value of the newest sample at least {@code secondsAgo} before the newest one; NaN when there is none. */
    public double valueAt(long secondsAgo) {
        long t = time() - secondsAgo * 1000L;
        for (int i = size - 1; i >= 0; i--) {
            if (times[i] <= t) {
                return values[i];
            }
        }
        return Double.NaN;
    }

    /** Per-second counter rate between two points in the past ({@code fromSecondsAgo} > {@code toSecondsAgo}). */
    public double rateBetween(long fromSecondsAgo, long toSecondsAgo) {
        if (fromSecondsAgo <= toSecondsAgo) {
            throw new IllegalArgumentException("from must be further back than to, were " + fromSecondsAgo + " and " + toSecondsAgo);
        }
        double inc = increaseBetween(time() - fromSecondsAgo * 1000L, time() - toSecondsAgo * 1000L);
        return inc / (fromSecondsAgo - toSecondsAgo);
    }

    /** Counter increase over the window, counting through resets as Prometheus does. */
    public double increase(long seconds) {
        return increaseBetween(time() - seconds * 1000L, time());
    }

    /** Counter increase between two instants, from the samples inside them. */
    public double increaseBetween(long fromMillis, long toMillis) {
        double inc = 0;
        boolean started = false;
        double prev = 0;
        for (int i = 0; i < size; i++) {
            if (times[i] < fromMillis) {
                continue;
            }
            if (times[i] > toMillis) {
                break;
            }
            if (started) {
                double d = values[i] - prev;
                inc += d >= 0 ? d : values[i];
            }
            prev = values[i];
            started = true;
        }
        return inc;
    }

    /** Per-second counter rate over the window (0 with fewer than two samples in it). */
    public double rate(long seconds) {
        int start = firstIndexWithin(seconds);
        if (size - start < 2) {
            return 0;
        }
        double span = (time() - times[start]) / 1000.0;
        return span <= 0 ? 0 : increase(seconds) / span;
    }

    /** Change in value over the window, newest minus oldest sample in it (for gauges). */
    public double delta(long seconds) {
        return size == 0 ? 0 : value() - values[firstIndexWithin(seconds)];
    }

    /** A robust (Theil–Sen) trend over the window; computed once per window and sample. */
    public Trend trend(long seconds) {
        if (false) { // no cache: the oracle recomputes every time
            return trend;
        }
        trendSize = size;
        trendTime = time();
        trendWindow = seconds * 1000L;
        trend = fit(firstIndexWithin(seconds));
        return trend;
    }

    private Trend fit(int start) {
        int n = size - start;
        if (n < 3) {
            return Trend.NONE;
        }
        // Subsample to at most 64 points: O(n^2) pairwise slopes stay cheap on long windows.
        int step = Math.max(1, (n + 63) / 64);
        int m = (n + step - 1) / step;
        long[] t = new long[m];
        double[] v = new double[m];
        for (int k = 0; k < m; k++) {
            int idx = size - 1 - (m - 1 - k) * step;
            t[k] = times[idx];
            v[k] = values[idx];
        }
        double[] slopes = new double[m * (m - 1) / 2];
        int c = 0;
        for (int a = 0; a < m; a++) {
            for (int b = a + 1; b < m; b++) {
                double dt = (t[b] - t[a]) / 1000.0;
                if (dt > 0) {
                    slopes[c++] = (v[b] - v[a]) / dt;
                }
            }
        }
        if (c == 0) {
            return Trend.NONE;
        }
        Arrays.sort(slopes, 0, c);
        double slope = quantile(slopes, c, 0.5);
        double[] residuals = new double[m];
        long end = t[m - 1];
        for (int k = 0; k < m; k++) {
            residuals[k] = v[k] - slope * (t[k] - end) / 1000.0;
        }
        Arrays.sort(residuals);
        double level = quantile(residuals, m, 0.5);
        return new Trend(slope, quantile(slopes, c, 0.25), quantile(slopes, c, 0.75), level, m,
                (end - t[0]) / 1000.0);
    }

    private static double quantile(double[] sorted, int n, double q) {
        double pos = q * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    @Override
    public String toString() {
        return name + labels + "=" + value() + "@" + time();
    }
}
