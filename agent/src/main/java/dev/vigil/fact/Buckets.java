package dev.vigil.fact;

/**
 * Counts per fixed time bucket over a bounded horizon: constant memory however many events arrive.
 * Not thread-safe; owned by one condensed fact.
 */
final class Buckets {
    private final long bucketMillis;
    private final int[] counts;
    private long newestBucket = Long.MIN_VALUE;

    Buckets(long bucketMillis, int buckets) {
        this.bucketMillis = bucketMillis;
        this.counts = new int[buckets];
    }

    void add(long timeMillis, int n) {
        long b = Math.floorDiv(timeMillis, bucketMillis);
        if (newestBucket == Long.MIN_VALUE) {
            newestBucket = b;
        }
        if (b > newestBucket) {
            long gap = Math.min(b - newestBucket, counts.length);
            for (long k = 1; k <= gap; k++) {
                counts[slot(newestBucket + k)] = 0;
            }
            newestBucket = b;
        } else if (newestBucket - b >= counts.length) {
            return; // older than the horizon
        }
        counts[slot(b)] += n;
    }

    /** Events in [from, to), to bucket resolution; buckets past the horizon count as empty. */
    int between(long fromMillis, long toMillis) {
        if (newestBucket == Long.MIN_VALUE || toMillis <= fromMillis) {
            return 0;
        }
        long first = Math.max(Math.floorDiv(fromMillis, bucketMillis), newestBucket - counts.length + 1);
        long last = Math.min(Math.floorDiv(toMillis - 1, bucketMillis), newestBucket);
        int sum = 0;
        for (long b = first; b <= last; b++) {
            sum += counts[slot(b)];
        }
        return sum;
    }

    long horizonMillis() {
        return bucketMillis * counts.length;
    }

    private int slot(long bucket) {
        return (int) Math.floorMod(bucket, (long) counts.length);
    }
}
