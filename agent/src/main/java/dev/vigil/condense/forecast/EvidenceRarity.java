package dev.vigil.condense.forecast;

/**
 * How rare a level of evidence is for one series: the share of its past points (exponentially forgotten) whose
 * evidence was at least as strong. It turns the same evidence into a lower score on a series that is always
 * surprising than on a quiet one, so that one global threshold means "rarer than usual for this series". Not
 * thread-safe: one instance per series.
 *
 * <p>Implementation note: a histogram of {@code log10(evidence)} in {@value #BINS} fixed bins (eight per decade,
 * from 1e-4 to 1e6), constant memory. Forgetting is done without touching every bin per point: each new point is
 * added with a weight that grows by {@code 1 / decay}, which is the same as shrinking all older counts, and all
 * counts are rescaled when the weight grows large.
 */
final class EvidenceRarity {
    static final int BINS = 80;
    private static final int BINS_PER_DECADE = 8;
    private static final int ZERO_BIN = 32; // evidence 1 (log10 = 0) falls here; 1e-4 and below fall into bin 0
    /** Tail probabilities are read on a scale of this many decades: a tail of 1e-5 or less is a rarity of 1. */
    private static final double DECADES = 5;
    private static final double RESCALE_AT = 1e100;

    private final double[] counts = new double[BINS];
    private final double growth;
    private double weight = 1; // the weight the newest point was added with
    private double total;

    /** @param halfLife points over which a past point's weight halves */
    EvidenceRarity(double halfLife) {
        this.growth = Math.pow(2, 1 / halfLife);
    }

    /**
     * The rarity in [0, 1] of {@code evidence} against the evidence seen before (this point counted as one more of
     * at least its strength, so a new series is not certain of anything), then learns it.
     */
    double rarityThenLearn(double evidence) {
        int bin = bin(evidence);
        // this point weighs as much as the newest past point: it is forgotten from the next point on
        double self = weight / growth;
        // sum the shorter side of the histogram: at most half the bins per point
        double atLeast = 0;
        if (bin >= BINS / 2) {
            for (int i = bin; i < BINS; i++) {
                atLeast += counts[i];
            }
        } else {
            double below = 0;
            for (int i = 0; i < bin; i++) {
                below += counts[i];
            }
            atLeast = total - below;
        }
        double tail = (atLeast + self) / (total + self);
        weight *= growth;
        counts[bin] += weight;
        total += weight;
        if (weight > RESCALE_AT) {
            for (int i = 0; i < BINS; i++) {
                counts[i] /= weight;
            }
            total /= weight;
            weight = 1;
        }
        // the bins are summed in another order than the total, so a tail of all points can round to a hair above 1
        return Math.max(0, Math.min(1, -Math.log10(tail) / DECADES));
    }

    private static int bin(double evidence) {
        double b = Math.floor(BINS_PER_DECADE * Math.log10(evidence + 1e-4)) + ZERO_BIN;
        return (int) Math.max(0, Math.min(BINS - 1, b));
    }
}
