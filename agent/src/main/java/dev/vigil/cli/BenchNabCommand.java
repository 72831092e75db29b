package dev.vigil.cli;

import dev.vigil.bench.nab.NabBenchmark;
import dev.vigil.bench.nab.NabCorpus;
import dev.vigil.bench.nab.NabDetections;
import dev.vigil.bench.nab.NabProfile;
import dev.vigil.bench.nab.NabScore;
import dev.vigil.bench.nab.NabScorer;
import dev.vigil.bench.nab.NabSeries;
import dev.vigil.condense.forecast.ForecastParams;
import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.daemon.DaemonConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil bench nab DIR}: streams every series of a NAB folder through the anomaly detector as live data would
 * flow, writes NAB results files, and prints NAB's normalised scores for each cost profile.
 */
@Command(name = "nab", description = "Score the anomaly detector on the Numenta Anomaly Benchmark: stream each series of "
        + "DIR/data in time order (no labels, no later points), write one results file per series under --out "
        + "(timestamp,value,anomaly_score) and print NAB's normalised score per profile. Exit 0 on success, 2 when DIR "
        + "or the configuration cannot be read.")
final class BenchNabCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A NAB folder: data/CATEGORY/*.csv and labels/combined_windows.json "
            + "(config/profiles.json optional).")
    Path dir;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the results files are written (default: ./nab-results).")
    Path out = Path.of("nab-results");

    @Option(names = "--config", paramLabel = "FILE", description = "Take the detector parameters from the forecast: "
            + "section of this vigil run configuration (default: built-in defaults).")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ForecastParams params = ForecastParams.defaults();
        if (config != null) {
            try {
                params = DaemonConfig.load(config).forecast().detectors();
            } catch (ContentException e) {
                e.errors().stream().map(ContentError::toString).forEach(err::println);
                return 2;
            }
        }
        List<NabSeries> corpus;
        List<NabProfile> profiles;
        try {
            corpus = NabCorpus.load(dir);
            profiles = NabCorpus.profiles(dir);
        } catch (IOException e) {
            err.println("vigil bench nab: " + e.getMessage());
            return 2;
        }
        long rows = corpus.stream().mapToLong(NabSeries::rows).sum();
        long start = System.nanoTime();
        List<NabDetections> detections = NabBenchmark.detect(corpus, params);
        long nanos = System.nanoTime() - start;
        try {
            for (NabDetections d : detections) {
                NabBenchmark.write(d, out);
            }
        } catch (IOException e) {
            err.println("vigil bench nab: cannot write results under " + out + ": " + e.getMessage());
            return 2;
        }
        int windows = corpus.stream().mapToInt(s -> s.windows().size()).sum();
        o.printf(Locale.ROOT, "%d series, %d rows, %d windows; results in %s%n", corpus.size(), rows, windows, out);
        o.printf(Locale.ROOT, "detector: %.2f M rows/s on one thread (one pass, including warm-up of the JIT)%n",
                rows / (nanos / 1e9) / 1e6);
        o.printf(Locale.ROOT, "%-20s %10s %9s %9s %9s %9s %5s %5s %5s  %s%n", "profile", "threshold", "score", "raw",
                "null", "perfect", "hit", "miss", "FP", "per category");
        for (NabProfile p : profiles) {
            NabScore s = NabScorer.score(detections, p);
            StringBuilder cats = new StringBuilder();
            s.categories().forEach((name, part) ->
                    cats.append(String.format(Locale.ROOT, "%s %.2f  ", name, part.normalized())));
            o.printf(Locale.ROOT, "%-20s %10.6f %9.2f %9.3f %9.3f %9.3f %5d %5d %5d  %s%n", p.name(), s.threshold(),
                    s.normalized(), s.raw(), s.nullScore(), s.perfect(), s.detected(), s.missed(), s.falsePositives(),
                    cats.toString().trim());
        }
        return 0;
    }
}
