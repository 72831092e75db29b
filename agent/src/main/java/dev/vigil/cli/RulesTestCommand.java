package dev.vigil.cli;

import dev.vigil.daemon.Replayer;
import dev.vigil.daemon.PipelineOptions;
import dev.vigil.engine.Engine;
import dev.vigil.scenario.CheckFailure;
import dev.vigil.scenario.Expectation;
import dev.vigil.scenario.ScenarioFormatException;
import dev.vigil.scenario.ScenarioReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil rules test DIR...}: runs every scenario under the given folders against the current rules and prints
 * one row per expectation: scenario, expectation, pass or fail, and what was decided instead.
 */
@Command(name = "test", description = "Run every scenario (*.jsonl) under the given folders or files against the current "
        + "rules and print a table: scenario, expectation, pass/fail, what was decided instead. Exit 0 when all pass, "
        + "1 when an expectation fails, 2 when a scenario is malformed.")
final class RulesTestCommand implements Callable<Integer> {
    @Mixin
    ContentOption content;

    @Mixin
    PolicyOption policy;

    @Parameters(paramLabel = "DIR", arity = "1..*", description = "Folders (searched recursively) or scenario files.")
    List<Path> roots;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One row of the table. */
    record Row(String scenario, String expectation, boolean passed, String instead) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Setup> setup = Setup.load(content, policy, err, "vigil rules test");
        if (setup.isEmpty()) {
            return 2;
        }
        List<Path> files = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.walk(root)) {
                    s.filter(p -> p.toString().endsWith(".jsonl") && Files.isRegularFile(p)).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(root)) {
                files.add(root);
            } else {
                err.println("vigil rules test: " + root + ": no such file or folder");
                return 2;
            }
        }
        if (files.isEmpty()) {
            err.println("vigil rules test: no scenario files (*.jsonl) under " + roots);
            return 2;
        }
        Replayer replayer = new Replayer(setup.get().content(),
                PipelineOptions.of(Engine.ClockKind.PSEUDO, setup.get().policy(), "d-"));
        List<Row> rows = new ArrayList<>();
        int malformed = 0;
        for (Path file : files) {
            try {
                Replayer.Result r = replayer.run(ScenarioReader.read(file));
                Map<Expectation, String> failed = r.failures().stream()
                        .collect(Collectors.toMap(CheckFailure::expectation, CheckFailure::message, (a, b) -> a));
                if (r.scenario().expectations().isEmpty()) {
                    rows.add(new Row(file.toString(), "(no expectations)", true, r.lines().size() + " decisions"));
                }
                for (Expectation e : r.scenario().expectations()) {
                    rows.add(new Row(file.toString(), e.describe(), !failed.containsKey(e), failed.getOrDefault(e, "")));
                }
            } catch (ScenarioFormatException e) {
                malformed++;
                rows.add(new Row(file.toString(), "(malformed)", false, e.getMessage()));
            }
        }
        print(out, rows);
        long failedRows = rows.stream().filter(r -> !r.passed()).count();
        out.printf("%d expectations in %d scenarios: %d passed, %d failed%n", rows.size(), files.size(),
                rows.size() - failedRows, failedRows);
        out.flush();
        return malformed > 0 ? 2 : failedRows > 0 ? 1 : 0;
    }

    private static void print(PrintWriter out, List<Row> rows) {
        int w1 = Math.max("SCENARIO".length(), rows.stream().mapToInt(r -> r.scenario().length()).max().orElse(0));
        int w2 = Math.max("EXPECTATION".length(), rows.stream().mapToInt(r -> r.expectation().length()).max().orElse(0));
        String format = "%-" + w1 + "s  %-" + w2 + "s  %-6s  %s%n";
        out.printf(format, "SCENARIO", "EXPECTATION", "RESULT", "DECIDED INSTEAD");
        for (Row r : rows) {
            out.printf(format, r.scenario(), r.expectation(), r.passed() ? "pass" : "FAIL", r.instead());
        }
    }
}
