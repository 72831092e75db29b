package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil bench …}: benchmarks of Vigil's own parts on recorded data. */
@Command(name = "bench", description = "Benchmark Vigil: ingest load on loopback (side by side with Prometheus), and the anomaly detector on NAB.",
        subcommands = {BenchIngestCommand.class, BenchNabCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
