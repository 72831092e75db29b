package dev.vigil.cli;

import dev.vigil.bench.IngestBench;
import dev.vigil.bench.VigilTarget;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil bench ingest}: the load generator; see {@link IngestBench} for what it measures. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Send remote_write and OTLP to Vigil on loopback as fast as it accepts them; report accepted/s, "
                + "ack and decision latency, refusals by reason, heap; then the same load against Prometheus.",
                "Starts a daemon in this JVM unless --url names a running one. Bounded by --phase and --max-items."})
final class BenchIngestCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ContentOption content;

    @Option(names = "--url", paramLabel = "URL", description = "A running Vigil on loopback (default: start one in-process).")
    URI url;

    @Option(names = "--journal", paramLabel = "FILE", description = "The audit journal of the --url daemon, for decision latency.")
    Path journal;

    @Option(names = "--series", defaultValue = "100000", description = "Active series in the load (default: ${DEFAULT-VALUE}).")
    int series;

    @Option(names = "--referenced-share", defaultValue = "0.05",
            description = "Share of series whose name a rule refers to; the rest are unrelated (default: ${DEFAULT-VALUE}).")
    double referencedShare;

    @Option(names = "--connections", defaultValue = "4", description = "Sender threads/connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--batch", defaultValue = "2000", description = "Samples, records or spans per request (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--phase", defaultValue = "20", paramLabel = "SECONDS", description = "Seconds per throughput phase (default: ${DEFAULT-VALUE}, at most 600).")
    long phaseSeconds;

    @Option(names = "--max-items", defaultValue = "100000000", description = "Most items sent per phase (default: ${DEFAULT-VALUE}).")
    long maxItems;

    @Option(names = "--triggers", defaultValue = "100", description = "disk-full triggers for decision latency, one per 100 ms (0 skips; default: ${DEFAULT-VALUE}).")
    int triggers;

    @Option(names = "--no-otlp", description = "Skip the OTLP phases.")
    boolean noOtlp;

    @Option(names = "--prometheus", paramLabel = "BINARY", defaultValue = "/usr/bin/prometheus",
            description = "Prometheus 2.x to compare with, started on loopback (default: ${DEFAULT-VALUE}).")
    Path prometheus;

    @Option(names = "--no-prometheus", description = "Skip the comparison with Prometheus.")
    boolean noPrometheus;

    @Option(names = "--soak", defaultValue = "0", paramLabel = "SECONDS", description = "Then hold half the maximum this long, printing heap each minute (default: 0, at most 3600).")
    long soakSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IngestBench.Options options;
        try {
            options = new IngestBench.Options(series, referencedShare, connections, batch, Duration.ofSeconds(phaseSeconds),
                    maxItems, triggers, !noOtlp, noPrometheus ? Optional.empty() : Optional.of(prometheus),
                    Duration.ofSeconds(soakSeconds));
        } catch (IllegalArgumentException e) {
            err.println("vigil bench ingest: " + e.getMessage());
            return 2;
        }
        Optional<Setup> setup = Setup.load(content, new PolicyOption(), err, "vigil bench ingest");
        if (setup.isEmpty()) {
            return 2;
        }
        out.println("content: " + setup.get().content().summary());
        Path data = url == null ? Files.createTempDirectory("vigil-bench") : null;
        try (VigilTarget target = url == null ? VigilTarget.inProcess(setup.get().content(), data)
                : VigilTarget.remote(url, Optional.ofNullable(journal))) {
            new IngestBench(options, out).run(target, setup.get().content());
        } catch (IllegalArgumentException e) {
            err.println("vigil bench ingest: " + e.getMessage());
            return 2;
        } finally {
            if (data != null) {
                try (Stream<Path> files = Files.walk(data)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        return 0;
    }
}
