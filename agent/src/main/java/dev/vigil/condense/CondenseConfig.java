package dev.vigil.condense;

/**
 * Bounds of the condensed state. Immutable.
 *
 * @param seriesRetentionMillis how much history a series keeps (the longest window a rule may ask for)
 * @param seriesCapacity        most samples a series keeps; older ones are thinned beyond it
 * @param idleMillis            a state not updated for this long is dropped
 * @param bucketMillis          resolution of log and span counts
 * @param buckets               how many buckets of counts are kept (horizon = bucketMillis × buckets)
 * @param slowSpanMillis        a span at least this long counts as slow
 * @param maxSeries             most series kept at once; new ones beyond are dropped and counted
 * @param maxTemplatesPerService most log templates kept per service; the least recently seen is evicted
 * @param maxLabelsPerSeries    a sample with more labels is rejected
 * @param maxLogBodyChars       a log body is cut to this length before templating
 */
public record CondenseConfig(long seriesRetentionMillis, int seriesCapacity, long idleMillis, long bucketMillis,
                             int buckets, double slowSpanMillis, int maxSeries, int maxTemplatesPerService,
                             int maxLabelsPerSeries, int maxLogBodyChars) {
    public CondenseConfig {
        if (seriesRetentionMillis <= 0 || seriesCapacity < 4 || idleMillis <= 0 || bucketMillis <= 0 || buckets < 1
                || slowSpanMillis <= 0 || maxSeries < 1 || maxTemplatesPerService < 1 || maxLabelsPerSeries < 1
                || maxLogBodyChars < 16) {
            throw new IllegalArgumentException("condense bounds must be positive: " + this);
        }
    }

    /** One hour of history at up to 256 samples a series, 30 minutes of 10 s counts, spans slow from 5 s. */
    public static CondenseConfig defaults() {
        return new CondenseConfig(3_600_000L, 256, 900_000L, 10_000L, 180, 5_000, 200_000, 500, 64, 8_192);
    }
}
