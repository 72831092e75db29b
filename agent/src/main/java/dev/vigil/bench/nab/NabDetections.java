package dev.vigil.bench.nab;

/**
 * A detector's anomaly score for every row of one NAB series (a results file). Immutable by convention: the array
 * is not copied.
 */
public record NabDetections(NabSeries series, double[] scores) {
    public NabDetections {
        if (scores.length != series.rows()) {
            throw new IllegalArgumentException(series.name() + ": " + scores.length + " scores for " + series.rows() + " rows");
        }
    }
}
