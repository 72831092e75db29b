package dev.vigil.bench.nab;

import dev.vigil.condense.forecast.AnomalyDetector;
import dev.vigil.condense.forecast.ForecastParams;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams NAB series through the anomaly detector exactly as live data flows: one fresh detector per series, rows in
 * file order, each scored before the next is seen, no access to labels. Stateless; thread-safe.
 */
public final class NabBenchmark {
    private NabBenchmark() {
    }

    /** The detector's score for every row of every series. */
    public static List<NabDetections> detect(List<NabSeries> corpus, ForecastParams params) {
        List<NabDetections> out = new ArrayList<>(corpus.size());
        for (NabSeries s : corpus) {
            out.add(new NabDetections(s, detect(s, params)));
        }
        return out;
    }

    /** The detector's scores for one series; a timestamp repeated in the file is fed again as live data would be. */
    public static double[] detect(NabSeries s, ForecastParams params) {
        AnomalyDetector detector = new AnomalyDetector(params);
        double[] scores = new double[s.rows()];
        long[] millis = s.millis();
        double[] values = s.numbers();
        for (int i = 0; i < scores.length; i++) {
            scores[i] = detector.update(millis[i], values[i]);
        }
        return scores;
    }

    /** Writes one NAB results file ({@code timestamp,value,anomaly_score}) under {@code dir}, at the series' name. */
    public static Path write(NabDetections d, Path dir) throws IOException {
        Path file = dir.resolve(d.series().name());
        Files.createDirectories(file.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("timestamp,value,anomaly_score\n");
            for (int i = 0; i < d.scores().length; i++) {
                w.write(d.series().timestamps()[i]);
                w.write(',');
                w.write(d.series().values()[i]);
                w.write(',');
                w.write(Double.toString(d.scores()[i]));
                w.write('\n');
            }
        }
        return file;
    }
}
