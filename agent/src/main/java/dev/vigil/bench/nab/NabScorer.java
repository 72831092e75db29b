package dev.vigil.bench.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * NAB's scoring, written from its published description (Lavin and Ahmad, "Evaluating Real-time Anomaly Detection
 * Algorithms – the Numenta Anomaly Benchmark", 2015, and NAB's documentation of its 2019 sweeper). Stateless;
 * thread-safe.
 *
 * <p>Each row after a file's probationary period (the first 15 % of its rows, at most 750) is a detection when its
 * score reaches the threshold. In a window only the earliest detection counts, earning
 * A_TP·σ(p)/σ(−1), where p ∈ [−1, 0) is its relative position from the window's start to its end and
 * σ(p) = 2/(1 + e^{5p}) − 1. A window without a detection costs A_FN. A detection outside every window costs
 * A_FP·σ(p) with p its distance past the end of the previous window in that window's widths (σ(p) = −1 for
 * p > 3), or A_FP when no window precedes it. The threshold is chosen once per profile over all files scored: the
 * score that maximises the summed raw score (detecting nothing included). The result is normalised to 0 for the
 * null detector and 100 for the perfect one.
 */
public final class NabScorer {
    static final double PROBATIONARY_FRACTION = 0.15;
    static final int PROBATIONARY_MAX_ROWS = 750;

    private NabScorer() {
    }

    /** NAB's scaled sigmoid. */
    static double scaledSigmoid(double relativePosition) {
        return relativePosition > 3 ? -1 : 2 / (1 + Math.exp(5 * relativePosition)) - 1;
    }

    /** Rows at the start of a file that are never scored: the detector's learning period. */
    static int probationaryRows(int rows) {
        return (int) Math.min(Math.floor(PROBATIONARY_FRACTION * rows), PROBATIONARY_FRACTION * 5000);
    }

    /** Scores the files under one profile, choosing the threshold that maximises the raw score. */
    public static NabScore score(List<NabDetections> files, NabProfile profile) {
        return scoreAt(files, profile, bestThreshold(files, profile));
    }

    /** Scores the files under one profile at a given threshold. */
    public static NabScore scoreAt(List<NabDetections> files, NabProfile profile, double threshold) {
        double raw = 0;
        double nullScore = 0;
        double perfect = 0;
        int detected = 0;
        int missed = 0;
        int falsePositives = 0;
        Map<String, double[]> parts = new TreeMap<>();
        for (NabDetections f : files) {
            Rows rows = Rows.of(f.series());
            double fileRaw = 0;
            double[] best = new double[f.series().windows().size()];
            Arrays.fill(best, Double.NaN);
            for (int i = rows.probation; i < rows.window.length; i++) {
                if (!(f.scores()[i] >= threshold)) {
                    continue;
                }
                if (rows.window[i] >= 0) {
                    int w = rows.window[i];
                    double s = rows.weight[i] * profile.tpWeight();
                    best[w] = Double.isNaN(best[w]) ? s : Math.max(best[w], s);
                } else {
                    fileRaw += rows.weight[i] * profile.fpWeight();
                    falsePositives++;
                }
            }
            for (double b : best) {
                if (Double.isNaN(b)) {
                    fileRaw -= profile.fnWeight();
                    missed++;
                } else {
                    fileRaw += b;
                    detected++;
                }
            }
            double fileNull = -profile.fnWeight() * best.length;
            double filePerfect = profile.tpWeight() * best.length;
            raw += fileRaw;
            nullScore += fileNull;
            perfect += filePerfect;
            double[] p = parts.computeIfAbsent(f.series().category(), k -> new double[3]);
            p[0] += fileRaw;
            p[1] += fileNull;
            p[2] += filePerfect;
        }
        Map<String, NabScore.Part> categories = new TreeMap<>();
        parts.forEach((k, p) -> categories.put(k, new NabScore.Part(p[0], p[1], p[2])));
        return new NabScore(profile, threshold, raw, nullScore, perfect, detected, missed, falsePositives, categories);
    }

    /**
     * The threshold that maximises the raw score over all files: a sweep over the distinct scores from the highest
     * down, adding the rows at each score at once (a threshold of +infinity, detecting nothing, is the start). Ties
     * keep the highest threshold.
     */
    static double bestThreshold(List<NabDetections> files, NabProfile profile) {
        List<double[]> points = new ArrayList<>(); // {score, weight, global window or -1}
        int windows = 0;
        for (NabDetections f : files) {
            Rows rows = Rows.of(f.series());
            for (int i = rows.probation; i < rows.window.length; i++) {
                double score = f.scores()[i];
                if (Double.isNaN(score)) {
                    continue;
                }
                boolean inWindow = rows.window[i] >= 0;
                points.add(new double[] {score,
                        rows.weight[i] * (inWindow ? profile.tpWeight() : profile.fpWeight()),
                        inWindow ? windows + rows.window[i] : -1});
            }
            windows += f.series().windows().size();
        }
        points.sort((a, b) -> Double.compare(b[0], a[0]));
        double[] best = new double[windows];
        Arrays.fill(best, -profile.fnWeight());
        double total = -profile.fnWeight() * windows;
        double bestTotal = total;
        double bestThreshold = Double.POSITIVE_INFINITY;
        int i = 0;
        while (i < points.size()) {
            double threshold = points.get(i)[0];
            for (; i < points.size() && points.get(i)[0] == threshold; i++) {
                double[] p = points.get(i);
                int w = (int) p[2];
                if (w < 0) {
                    total += p[1];
                } else if (p[1] > best[w]) {
                    total += p[1] - best[w];
                    best[w] = p[1];
                }
            }
            if (total > bestTotal) {
                bestTotal = total;
                bestThreshold = threshold;
            }
        }
        return bestThreshold;
    }

    /** Per row: its window (or −1) and its unweighted score: σ-scaled, relative to A_TP or A_FP. */
    private record Rows(int probation, int[] window, double[] weight) {
        static Rows of(NabSeries s) {
            int n = s.rows();
            int[] window = new int[n];
            double[] weight = new double[n];
            Arrays.fill(window, -1);
            double maxTp = scaledSigmoid(-1);
            int w = 0;
            int prevLast = -1;
            int prevRows = 0;
            for (int i = 0; i < n; i++) {
                NabSeries.Window cur = w < s.windows().size() ? s.windows().get(w) : null;
                if (cur != null && i >= cur.first() && i <= cur.last()) {
                    window[i] = w;
                    weight[i] = scaledSigmoid(-(cur.last() - i + 1) / (double) cur.rows()) / maxTp;
                    if (i == cur.last()) {
                        prevLast = cur.last();
                        prevRows = cur.rows();
                        w++;
                    }
                } else if (prevLast < 0) {
                    weight[i] = -1;
                } else {
                    weight[i] = scaledSigmoid(Math.abs(prevLast - i) / (double) (prevRows - 1));
                }
            }
            return new Rows(probationaryRows(n), window, weight);
        }
    }
}
