package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.Repo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil rules test}: the governors' rule tester, run over the library's own and the shared scenarios. */
class RulesTestCommandTest {
    record Run(int exit, String out, String err) {
    }

    static Run rulesTest(String... dirs) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[dirs.length + 4];
        args[0] = "rules";
        args[1] = "test";
        args[2] = "--content";
        args[3] = Repo.root().toString();
        System.arraycopy(dirs, 0, args, 4, dirs.length);
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    @DisplayName("every scenario of the library's own signatures passes, and there are three or more per signature")
    void theLibrarysOwnScenariosAllPass() throws IOException {
        Path own = Repo.root().resolve("signatures/scenarios");
        Run run = rulesTest(own.toString());
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains(" 0 failed"), run.out());
        try (var dirs = Files.list(own)) {
            for (Path d : dirs.toList()) {
                try (var files = Files.list(d)) {
                    assertTrue(files.count() >= 3, d + " holds fewer than three scenarios");
                }
            }
        }
    }

    @Test
    void theSharedRecordingsAllPass() {
        Path shared = Repo.sharedOrSkip("scenarios");
        Run run = rulesTest(shared.toString());
        assertEquals(0, run.exit(), run.out() + run.err());
    }

    @Test
    void aFailingExpectationIsAFailRowThatSaysWhatWasDecidedInstead(@TempDir Path tmp) throws IOException {
        Path shared = Repo.root().resolve("signatures/scenarios/db-connection-pool-exhaustion");
        Path source;
        try (var s = Files.list(shared)) {
            source = s.filter(p -> p.getFileName().toString().startsWith("acts")).findFirst().orElseThrow();
        }
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(source));
        lines.removeIf(l -> l.contains("\"expect\""));
        lines.add("{\"expect\": {\"signature\": \"db-connection-pool-exhaustion\", \"decision\": \"notify\"}}");
        Files.write(tmp.resolve("wrong.jsonl"), lines);
        Run run = rulesTest(tmp.toString());
        assertEquals(1, run.exit(), run.out());
        String row = run.out().lines().filter(l -> l.contains("wrong.jsonl")).findFirst().orElseThrow();
        assertTrue(row.contains("FAIL"), row);
        assertTrue(row.contains("decided instead: db-connection-pool-exhaustion"), row);
        assertTrue(run.out().contains("1 expectations in 1 scenarios: 0 passed, 1 failed"), run.out());
    }

    @Test
    void aFolderWithoutScenariosIsAnError(@TempDir Path tmp) {
        Run run = rulesTest(tmp.toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("no scenario files"), run.err());
    }
}
