package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.content.ContentFile;
import dev.vigil.content.ContentSource;
import dev.vigil.testing.ContentCopy;
import dev.vigil.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(180)
class WarmUpTest {

    private static long scenarioFiles(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root.resolve(WarmUp.SCENARIOS))) {
            return s.filter(p -> p.toString().endsWith(".jsonl")).count();
        }
    }

    @Test
    void replaysEveryScenarioOfTheContentInAScratchPipeline() throws Exception {
        WarmUp.Result r = WarmUp.run(TestDaemon.content(), PipelineOptions.replay());

        assertEquals(scenarioFiles(Repo.root()), r.replayed());
        assertEquals(0, r.skipped());
        assertTrue(r.decisions() > 0, "the scenarios decide, so the decision path runs: " + r);
    }

    @Test
    void aBrokenScenarioIsSkippedAndTheOthersStillReplay(@TempDir Path tmp) throws Exception {
        Path root = ContentCopy.of(tmp.resolve("content"));
        Path dir = Files.createDirectories(root.resolve(WarmUp.SCENARIOS).resolve("disk-full"));
        Files.copy(Repo.root().resolve(WarmUp.SCENARIOS).resolve("disk-full/acts-srv-log-metric-only.jsonl"),
                dir.resolve("acts.jsonl"));
        Files.writeString(dir.resolve("broken.jsonl"), "{\"scenario\": \"half a header\"\n{not json\n");

        WarmUp.Result r = WarmUp.run(Content.load(ContentSource.directory(root)), PipelineOptions.replay());

        assertEquals(1, r.replayed());
        assertEquals(1, r.skipped());
        assertEquals(1, r.decisions(), "the disk-full scenario's one decision");
    }

    @Test
    void theDaemonWarmsUpAtStartAndNothingOfItReachesItsJournal(@TempDir Path tmp) throws Exception {
        try (TestDaemon d = TestDaemon.start("""
                listen: {host: 127.0.0.1, port: 0}
                data_dir: %s
                host_probe: {enabled: false}
                warm_up: true
                """.formatted(tmp.resolve("data")))) {
            WarmUp.Result r = d.daemon.warming().get(120, TimeUnit.SECONDS);
            assertEquals(scenarioFiles(Repo.root()), r.replayed());

            d.daemon.engine().query(p -> p.step(System.currentTimeMillis())); // a cycle after the warm-up
            List<String> journal = Files.readAllLines(tmp.resolve("data").resolve("audit.jsonl"));
            assertFalse(journal.stream().anyMatch(l -> l.contains("\"type\":\"decision\"") || l.contains("warm-up-")),
                    String.join("\n", journal));
            assertEquals(0, d.daemon.engine().decisions());
        }
    }

    @Test
    void onByDefaultAndWarmUpFalseTurnsItOff(@TempDir Path tmp) throws Exception {
        assertTrue(DaemonConfig.parse(new ContentFile("vigil.yaml", "status_interval: 30s\n")).warmUp());
        try (TestDaemon d = TestDaemon.start("""
                listen: {host: 127.0.0.1, port: 0}
                data_dir: %s
                host_probe: {enabled: false}
                warm_up: false
                """.formatted(tmp.resolve("data")))) {
            assertEquals(0, d.daemon.warming().get(10, TimeUnit.SECONDS).replayed());
        }
    }
}
