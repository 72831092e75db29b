package dev.vigil.cli;

import dev.vigil.daemon.Replayer;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentSource;
import dev.vigil.daemon.Content;
import dev.vigil.daemon.PipelineOptions;
import dev.vigil.engine.Engine;
import dev.vigil.playbook.PlaybookCatalog;
import dev.vigil.scenario.CheckFailure;
import dev.vigil.scenario.Scenario;
import dev.vigil.scenario.ScenarioFormatException;
import dev.vigil.scenario.ScenarioReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil replay [--check] FILE...}: feeds recorded incidents through the full pipeline and prints one JSON line
 * per decision, exactly as {@code SCENARIOS.md} specifies. Exit 0 when all is well, 1 when a check fails, 2 when a
 * file is malformed or unreadable (that file yields no decisions; the others still run).
 *
 * <p>{@code --compare DIR} instead runs each file through both this content and the content in DIR and prints a line
 * per difference, then a summary: exit 0 when they decide alike, 1 when they differ, 2 on an error.
 */
@Command(name = "replay", description = "Replay scenario files through the full pipeline (pseudo clock, dry-run, "
        + "approvals left pending) and print one JSON line per decision on standard output.")
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--check", description = "Compare the decisions with each file's expect lines; print PASS or FAIL per file; exit 1 on any failure.")
    boolean check;

    @Option(names = "--stats", description = "Print per-file throughput (observations per second) on standard error.")
    boolean stats;

    @Option(names = "--audit", paramLabel = "DIR", description = "Write each scenario's audit journal to DIR/FILE.audit.jsonl (FILE without .jsonl).")
    Path auditDir;

    @Option(names = "--shadow", description = "Also print the decisions of signatures in shadow (signatures/shadow/), as lines "
            + "with \"decision\": \"shadow\" and \"would\": what they would have decided. Never checked against expect lines.")
    boolean shadow;

    @Option(names = "--compare", paramLabel = "DIR", description = "Run each file through this content and through the content "
            + "in DIR (rules/, signatures/, playbooks/) and print where their decisions differ, then a summary; exit 1 when they differ.")
    Path compareWith;

    @Mixin
    ContentOption content;

    @Mixin
    PolicyOption policy;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Scenario files (JSON Lines).")
    List<Path> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // replay runs nothing: a governor may try content not pinned yet; each unpinned file is reported
        Optional<Setup> setup = Setup.load(content, policy, err, "vigil replay", PlaybookCatalog.Pins.REPORTED);
        if (setup.isEmpty()) {
            return 2;
        }
        PipelineOptions options = PipelineOptions.of(Engine.ClockKind.PSEUDO, setup.get().policy(), "d-");
        Replayer replayer = new Replayer(setup.get().content(), options);
        if (compareWith != null) {
            return compare(replayer, options, setup.get().content().source().description(), out, err);
        }
        int exit = 0;
        long totalObs = 0;
        long totalNanos = 0;
        for (Path file : files) {
            Scenario scenario;
            try {
                scenario = ScenarioReader.read(file);
            } catch (ScenarioFormatException e) {
                err.println("vigil replay: " + e.getMessage());
                err.flush();
                exit = 2;
                continue;
            } catch (IOException e) {
                err.println("vigil replay: " + file + ": cannot read: " + e.getMessage());
                err.flush();
                exit = 2;
                continue;
            }
            Replayer.Result r = replayer.run(scenario);
            for (Replayer.Line line : r.lines()) {
                out.println(line.json());
            }
            if (shadow) {
                r.shadowLines().forEach(line -> out.println(line.json()));
            }
            totalObs += r.observations();
            totalNanos += r.nanos();
            if (stats) {
                err.printf(Locale.ROOT, "%s: %d observations in %.1f ms (%.0f observations/s), %d decisions%n", file,
                        r.observations(), r.nanos() / 1e6, r.observations() / (r.nanos() / 1e9), r.lines().size());
            }
            if (auditDir != null) {
                try {
                    Files.createDirectories(auditDir);
                    // named after the file, never after the header: the scenario name is untrusted text
                    String base = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
                    Files.write(auditDir.resolve(base + ".audit.jsonl"), r.auditLines(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    err.println("vigil replay: cannot write the audit journal to " + auditDir + ": " + e.getMessage());
                    exit = 2;
                }
            }
            if (check) {
                if (r.passed()) {
                    out.println("PASS " + file + " (" + scenario.expectations().size() + " expectations)");
                } else {
                    out.println("FAIL " + file);
                    for (CheckFailure f : r.failures()) {
                        out.println("  " + f.expectation().describe() + ": " + f.message());
                    }
                    exit = Math.max(exit, 1);
                }
            }
            out.flush();
        }
        if (stats && files.size() > 1 && totalNanos > 0) {
            err.printf(Locale.ROOT, "total: %d observations in %.1f ms (%.0f observations/s)%n", totalObs, totalNanos / 1e6,
                    totalObs / (totalNanos / 1e9));
        }
        err.flush();
        return exit;
    }

    private int compare(Replayer replayer, PipelineOptions options, String baseName, PrintWriter out, PrintWriter err) {
        Content other;
        try {
            other = Content.load(ContentSource.directory(compareWith));
        } catch (ContentException e) {
            e.errors().forEach(error -> err.println("vigil replay --compare: " + error));
            err.flush();
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("vigil replay --compare: " + e.getMessage());
            err.flush();
            return 2;
        }
        Replayer otherReplayer = new Replayer(other, options);
        int exit = 0;
        int differences = 0;
        int differing = 0;
        for (Path file : files) {
            Scenario scenario;
            try {
                scenario = ScenarioReader.read(file);
            } catch (ScenarioFormatException | IOException e) {
                err.println("vigil replay: " + (e instanceof ScenarioFormatException ? e.getMessage() : file + ": cannot read: " + e.getMessage()));
                exit = 2;
                continue;
            }
            List<ReplayComparison.Difference> diff = ReplayComparison.compare(replayer.run(scenario).lines(),
                    otherReplayer.run(scenario).lines());
            for (ReplayComparison.Difference d : diff) {
                out.println("DIFF " + file + ": " + d.describe());
            }
            differences += diff.size();
            differing += diff.isEmpty() ? 0 : 1;
        }
        out.printf(Locale.ROOT, "compare: %d difference(s) in %d of %d file(s) between %s and %s%n", differences, differing,
                files.size(), baseName, other.source().description());
        out.flush();
        err.flush();
        return exit == 2 ? 2 : differences > 0 ? 1 : 0;
    }
}
