package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.testing.ContentCopy;
import dev.vigil.testing.Repo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil replay --compare DIR}: the same scenarios through two rule sets, and where they decide differently. */
class ReplayCompareTest {

    private static ReplayCommandTest.Run compare(Path other, String... scenarios) {
        Path dir = Repo.sharedOrSkip("scenarios");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new java.util.ArrayList<>(List.of("replay", "--content", Repo.root().toString(), "--compare", other.toString()));
        for (String s : scenarios) {
            args.add(dir.resolve(s).toString());
        }
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new ReplayCommandTest.Run(exit, out.toString(), err.toString());
    }

    @Test
    @DisplayName("a signature whose prior was lowered decides differently on its incident only: one DIFF line, a summary, exit 1; the same content compares clean")
    void aChangedSignatureShowsWhereItDecidesDifferently(@TempDir Path tmp) throws Exception {
        Path other = ContentCopy.of(tmp);
        ContentCopy.edit(other, "signatures/db-connection-pool-exhaustion.yaml", "prior: 0.2", "prior: 0.01");

        ReplayCommandTest.Run run = compare(other, "db-pool-exhaustion.jsonl", "disk-will-fill-logs.jsonl");

        assertEquals(1, run.exit(), run.out() + run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.out());
        String file = Repo.sharedOrSkip("scenarios").resolve("db-pool-exhaustion.jsonl").toString();
        assertTrue(lines.get(0).startsWith("DIFF " + file + ": db-connection-pool-exhaustion {service=checkout, host=app-1}: "
                + "execute recycle-connection-pool (t=246, confidence 0.93) -> "), lines.get(0));
        assertEquals("compare: 1 difference(s) in 1 of 2 file(s) between " + Repo.root() + " and " + other.toAbsolutePath().normalize(), lines.get(1));

        ReplayCommandTest.Run same = compare(Repo.root(), "db-pool-exhaustion.jsonl");
        assertEquals(0, same.exit(), same.out() + same.err());
        assertEquals(List.of("compare: 0 difference(s) in 0 of 1 file(s) between " + Repo.root() + " and " + Repo.root()), same.out().lines().toList());
    }
}
