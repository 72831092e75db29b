package dev.vigil.bench.nab;

import java.util.Map;

/**
 * The NAB score of one detector under one profile, over the files scored. Immutable.
 *
 * @param profile     the cost profile
 * @param threshold   the anomaly score from which a row counts as a detection; +infinity when detecting nothing
 *                    scores best
 * @param raw         the summed window and false-detection scores of all files
 * @param nullScore   the raw score of a detector that never fires (every window missed)
 * @param perfect     the raw score of a detector that fires exactly at each window's start
 * @param detected    windows with at least one detection
 * @param missed      windows without any
 * @param falsePositives detections outside every window (after each file's probationary period)
 * @param categories  the same score per category (folder), at the same threshold
 */
public record NabScore(NabProfile profile, double threshold, double raw, double nullScore, double perfect,
                       int detected, int missed, int falsePositives, Map<String, Part> categories) {
    /** The raw, null and perfect scores of part of the files (one category), at the profile's threshold. */
    public record Part(double raw, double nullScore, double perfect) {
        public double normalized() {
            return NabScore.normalize(raw, nullScore, perfect);
        }
    }

    public NabScore {
        categories = Map.copyOf(categories);
    }

    /** 100 × (raw − null) / (perfect − null): 0 for the null detector, 100 for the perfect one. */
    public double normalized() {
        return normalize(raw, nullScore, perfect);
    }

    static double normalize(double raw, double nullScore, double perfect) {
        return perfect == nullScore ? 0 : 100 * (raw - nullScore) / (perfect - nullScore);
    }
}
