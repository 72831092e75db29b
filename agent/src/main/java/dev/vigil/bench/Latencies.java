package dev.vigil.bench;

import java.util.Arrays;

/**
 * Recorded latencies and their percentiles by the nearest-rank method (the p-th percentile is the smallest recorded
 * value with at least p % of the values at or below it). Every value is kept, so runs are bounded in count. Not
 * thread-safe: one per sender thread, {@link #merge}d at the end.
 */
public final class Latencies {
    private long[] nanos = new long[1024];
    private int size;

    public void record(long valueNanos) {
        if (valueNanos < 0) {
            throw new IllegalArgumentException("a latency cannot be negative, was " + valueNanos + " ns");
        }
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = valueNanos;
    }

    public void merge(Latencies other) {
        for (int i = 0; i < other.size; i++) {
            record(other.nanos[i]);
        }
    }

    public int count() {
        return size;
    }

    /** The nearest-rank percentile {@code p} (0 < p ≤ 100) in nanoseconds; NaN when nothing was recorded. */
    public double percentileNanos(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile must be within (0, 100], was " + p);
        }
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size); // 1-based
        return sorted[Math.max(rank, 1) - 1];
    }

    /** The percentile in milliseconds, for reports. */
    public double percentileMillis(double p) {
        return percentileNanos(p) / 1e6;
    }
}
