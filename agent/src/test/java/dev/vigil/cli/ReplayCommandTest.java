package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testing.Repo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil replay} as other tools use it: the output contract, the exit codes, the shared recordings. */
class ReplayCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {
        List<String> decisionLines() {
            return out.lines().filter(l -> l.startsWith("{")).toList();
        }
    }

    static Run replay(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("replay", "--content", Repo.root().toString()));
        all.addAll(List.of(args));
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    @DisplayName("every shared recorded incident is decided as expected (replay --check ../shared/scenarios/*.jsonl)")
    void everySharedScenarioPasses() throws IOException {
        Path dir = Repo.sharedOrSkip("scenarios");
        List<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().map(Path::toString).toList();
        }
        assertFalse(files.isEmpty(), "no scenarios in " + dir);
        List<String> args = new ArrayList<>(List.of("--check"));
        args.addAll(files);
        Run run = replay(args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.out() + run.err());
        long passes = run.out().lines().filter(l -> l.startsWith("PASS ")).count();
        assertEquals(files.size(), passes, run.out());
    }

    @Test
    void decisionLinesFollowTheReplayContractFieldByField() throws IOException {
        Run run = replay(scenarioOfOwn("db-connection-pool-exhaustion"));
        assertEquals(0, run.exit(), run.err());
        assertFalse(run.decisionLines().isEmpty(), run.out());
        for (String line : run.decisionLines()) {
            JsonNode n = JSON.readTree(line);
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                keys.add(it.next());
            }
            assertEquals(List.of("scenario", "t", "signature", "target", "confidence", "decision", "playbook", "reasons"), keys);
            assertTrue(n.get("t").isNumber());
            assertTrue(n.get("confidence").asDouble() >= 0 && n.get("confidence").asDouble() <= 1);
            assertTrue(List.of("execute", "approve", "notify", "suppress").contains(n.get("decision").asText()));
            assertTrue(n.get("reasons").isArray() && n.get("reasons").size() > 0);
        }
        assertEquals("", run.err().lines().filter(l -> !l.isBlank()).findFirst().orElse(""), "nothing on stderr without --stats");
    }

    @Test
    void theSameFileReplaysToTheSameOutput() {
        String file = scenarioOfOwn("db-connection-pool-exhaustion");
        assertEquals(replay(file).out(), replay(file).out());
    }

    @Test
    void aMalformedFileIsNamedWithItsLineExitsTwoAndYieldsNoDecisionsWhileOthersStillRun(@TempDir Path tmp) throws IOException {
        String good = scenarioOfOwn("db-connection-pool-exhaustion");
        Path bad = tmp.resolve("bad.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of(good)));
        lines.add(3, "{\"t\": 1, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1}, \"surprise\": true}");
        Files.write(bad, lines);
        Run run = replay("--check", bad.toString(), good);
        assertEquals(2, run.exit(), run.out() + run.err());
        assertTrue(run.err().contains(bad + ":4:"), run.err());
        assertTrue(run.err().contains("surprise"), run.err());
        assertTrue(run.out().contains("PASS " + good), "the good file still ran: " + run.out());
        // the bad file is a copy of the good one plus one bad line: had it run, its decisions would appear twice
        assertEquals(replay(good).decisionLines(), run.decisionLines(), "only the good file's decisions");
    }

    @Test
    void aFailedExpectationExitsOneAndSaysWhatWasDecidedInstead(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("wrong-expectation.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of(scenarioOfOwn("db-connection-pool-exhaustion"))));
        lines.removeIf(l -> l.contains("\"expect\""));
        lines.add("{\"expect\": {\"signature\": \"disk-will-fill\", \"decision\": \"execute\"}}");
        Files.write(f, lines);
        Run run = replay("--check", f.toString());
        assertEquals(1, run.exit(), run.out());
        assertTrue(run.out().contains("FAIL " + f), run.out());
        assertTrue(run.out().contains("no decision for disk-will-fill"), run.out());
    }

    @Test
    void aMissingFileIsReportedAndExitsTwo(@TempDir Path tmp) {
        Run run = replay(tmp.resolve("nope.jsonl").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("nope.jsonl"), run.err());
    }

    /** The first scenario of the project's own library for a signature that expects an action. */
    @Test
    @DisplayName("a predictive decision gives its forecast in words: when, with its uncertainty, and the anomaly that supports it")
    void predictiveReasonsCarryTheForecast() throws IOException {
        Path scenarios = Repo.root().resolve("signatures/scenarios");
        Run fill = replay(scenarios.resolve("disk-will-fill/acts-linear-fill-forecast.jsonl").toString());
        Run surge = replay(scenarios.resolve("traffic-surge/acts-flash-sale-on-daily-cycle.jsonl").toString());

        assertEquals(0, fill.exit(), fill.err());
        JsonNode disk = JSON.readTree(fill.decisionLines().get(0));
        boolean forecast = false;
        for (JsonNode r : disk.get("reasons")) {
            forecast |= r.asText().matches("/var/log will be full \\(100 % used\\) in 1h \\d+m ± \\d+s: free space .*");
        }
        assertTrue(forecast, disk.toString());
        assertEquals(0, surge.exit(), surge.err());
        JsonNode traffic = JSON.readTree(surge.decisionLines().get(surge.decisionLines().size() - 1));
        String reasons = traffic.get("reasons").toString();
        assertTrue(reasons.contains("will reach its capacity of 360 req/s (6 replicas x 60) in "), reasons);
        assertTrue(reasons.contains("its daily cycle peaks at "), reasons);
        boolean anomaly = false;
        for (JsonNode r : traffic.get("reasons")) {
            anomaly |= r.asText().startsWith("anomaly score 0.");
        }
        assertTrue(anomaly, "the generic anomaly evidence supports it: " + reasons);
    }

    static String scenarioOfOwn(String signature) {
        Path dir = Repo.root().resolve("signatures/scenarios").resolve(signature);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("acts")).sorted().findFirst()
                    .orElseThrow(() -> new IllegalStateException("no acts-*.jsonl scenario in " + dir)).toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @DisplayName("a hostile label value never reaches a playbook: the strong decision becomes suppress, with the reason")
    void hostileTelemetryIsRefusedAsAPlaybookParameter(@TempDir Path tmp) throws IOException {
        String source = scenarioOfOwn("db-connection-pool-exhaustion");
        String text = Files.readString(Path.of(source));
        assertTrue(text.contains("\"pool\":\"ordersPool\""), "the scenario names its pool");
        Path hostile = tmp.resolve("hostile.jsonl");
        Files.writeString(hostile, text.replace("\"pool\":\"ordersPool\"", "\"pool\":\"ordersPool; rm -rf / $(reboot)\""));
        Run run = replay(hostile.toString());
        assertEquals(0, run.exit(), run.err());
        List<JsonNode> pool = new ArrayList<>();
        for (String line : run.decisionLines()) {
            JsonNode n = JSON.readTree(line);
            if (n.get("signature").asText().equals("db-connection-pool-exhaustion")) {
                pool.add(n);
            }
        }
        assertFalse(pool.isEmpty(), run.out());
        for (JsonNode n : pool) {
            assertEquals("suppress", n.get("decision").asText(), n.toString());
            assertTrue(n.get("reasons").toString().contains("playbook parameters refused: parameter pool"), n.toString());
        }
    }
}
