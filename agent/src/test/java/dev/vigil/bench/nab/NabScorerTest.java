package dev.vigil.bench.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NabScorerTest {
    /** A series of {@code rows} 5-minute rows with windows at the given [first, last] rows. */
    static NabSeries series(String name, int rows, int... bounds) {
        String[] times = new String[rows];
        String[] values = new String[rows];
        long[] millis = new long[rows];
        double[] numbers = new double[rows];
        for (int i = 0; i < rows; i++) {
            millis[i] = i * 300_000L;
            times[i] = java.time.Instant.ofEpochMilli(millis[i]).toString();
            values[i] = "1";
            numbers[i] = 1;
        }
        List<NabSeries.Window> windows = new ArrayList<>();
        for (int k = 0; k < bounds.length; k += 2) {
            windows.add(new NabSeries.Window(bounds[k], bounds[k + 1]));
        }
        return new NabSeries(name, times, values, millis, numbers, windows);
    }

    private static List<NabSeries> corpus() {
        return List.of(series("a/one.csv", 2000, 600, 699, 1500, 1599),
                series("a/two.csv", 1000, 400, 449),
                series("b/three.csv", 1200, 900, 999),
                series("b/none.csv", 800));
    }

    private static List<NabDetections> firing(List<NabSeries> corpus, java.util.function.BiConsumer<NabSeries, double[]> fire) {
        List<NabDetections> out = new ArrayList<>();
        for (NabSeries s : corpus) {
            double[] scores = new double[s.rows()];
            fire.accept(s, scores);
            out.add(new NabDetections(s, scores));
        }
        return out;
    }

    @Test
    @DisplayName("a detector that never fires scores 0 in every profile")
    void nullDetectorScoresZero() {
        List<NabDetections> never = firing(corpus(), (s, scores) -> { });
        for (NabProfile p : NabProfile.standardProfiles()) {
            NabScore score = NabScorer.score(never, p);

            assertEquals(0.0, score.normalized(), 1e-9, p.name());
            assertEquals(4, score.missed(), p.name());
        }
    }

    @Test
    @DisplayName("a detector that fires exactly at each window's start scores 100 in every profile")
    void perfectDetectorScoresHundred() {
        List<NabDetections> perfect = firing(corpus(), (s, scores) -> s.windows().forEach(w -> scores[w.first()] = 1));
        for (NabProfile p : NabProfile.standardProfiles()) {
            NabScore score = NabScorer.score(perfect, p);

            assertEquals(100.0, score.normalized(), 1e-9, p.name());
            assertEquals(4, score.detected(), p.name());
            assertEquals(0, score.falsePositives(), p.name());
            score.categories().values().forEach(c -> assertEquals(100.0, c.normalized(), 1e-9));
        }
    }

    @Test
    @DisplayName("a later detection in the window earns less, and only the earliest one counts")
    void laterDetectionsEarnLess() {
        NabProfile standard = NabProfile.standardProfiles().get(0);
        List<NabSeries> one = List.of(series("a/one.csv", 1000, 400, 499));
        double atStart = NabScorer.scoreAt(firing(one, (s, sc) -> sc[400] = 1), standard, 1).raw();
        double atMiddle = NabScorer.scoreAt(firing(one, (s, sc) -> sc[450] = 1), standard, 1).raw();
        double both = NabScorer.scoreAt(firing(one, (s, sc) -> {
            sc[450] = 1;
            sc[400] = 1;
        }), standard, 1).raw();

        assertEquals(1.0, atStart, 1e-9);
        assertTrue(atMiddle < atStart && atMiddle > 0.5, "the middle of the window earns less: " + atMiddle);
        assertEquals(atStart, both, 1e-9);
    }

    @Test
    @DisplayName("a false detection far from any window costs A_FP; one right after a window costs almost nothing")
    void falseDetectionsCostByDistance() {
        NabProfile standard = NabProfile.standardProfiles().get(0);
        List<NabSeries> one = List.of(series("a/one.csv", 1000, 400, 499));
        double beforeWindow = NabScorer.scoreAt(firing(one, (s, sc) -> sc[300] = 1), standard, 1).raw();
        double rightAfter = NabScorer.scoreAt(firing(one, (s, sc) -> sc[501] = 1), standard, 1).raw();
        double farAfter = NabScorer.scoreAt(firing(one, (s, sc) -> sc[900] = 1), standard, 1).raw();
        double inProbation = NabScorer.scoreAt(firing(one, (s, sc) -> sc[100] = 1), standard, 1).raw();

        assertEquals(-1 - standard.fpWeight(), beforeWindow, 1e-9);
        assertEquals(-1 - standard.fpWeight(), farAfter, 1e-9);
        assertTrue(rightAfter > -1 - 0.1 * standard.fpWeight(), "right after the window: " + rightAfter);
        assertEquals(-1, inProbation, 1e-9, "the first 15 % of rows are not scored");
    }

    @Test
    @DisplayName("the threshold is chosen once over all files: the one that maximises the summed raw score")
    void thresholdIsChosenOverAllFiles() {
        // windows are found at score 0.9; noise at 0.5 outside them would cost more than nothing
        List<NabDetections> d = firing(corpus(), (s, scores) -> {
            Arrays.fill(scores, 0.5);
            s.windows().forEach(w -> scores[w.first()] = 0.9);
        });
        NabScore score = NabScorer.score(d, NabProfile.standardProfiles().get(0));

        assertEquals(0.9, score.threshold());
        assertEquals(100.0, score.normalized(), 1e-9);
    }
}
