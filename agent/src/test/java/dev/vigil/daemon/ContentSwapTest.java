package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.audit.AuditJournal;
import dev.vigil.content.ContentSource;
import dev.vigil.decision.Decision;
import dev.vigil.fact.Forecast;
import dev.vigil.fact.LogPatternRate;
import dev.vigil.fact.SeriesState;
import dev.vigil.scenario.Observation;
import dev.vigil.scenario.Scenario;
import dev.vigil.scenario.ScenarioReader;
import dev.vigil.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import dev.vigil.testing.ContentCopy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Putting reloaded content in place between two steps keeps every fact and every open diagnosis. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContentSwapTest {
    private Content original;
    private Content edited;
    private Content withoutCertificates;

    @BeforeAll
    void load(@TempDir Path tmp) throws Exception {
        original = TestDaemon.content(); // the repository's, shared with the other daemon tests
        Path b = ContentCopy.of(tmp.resolve("b"));
        ContentCopy.edit(b, "signatures/disk-full.yaml", "title: Filesystem full", "title: Filesystem completely full");
        edited = Content.load(ContentSource.directory(b));
        Path c = ContentCopy.of(tmp.resolve("c"));
        Files.delete(c.resolve("signatures/certificate-expiring.yaml"));
        Files.delete(c.resolve("rules/tls.drl"));
        withoutCertificates = Content.load(ContentSource.directory(c));
    }

    /** Replays a scenario, swapping to {@code next} before the first step at or after {@code swapAt}. */
    private static List<String> replay(Scenario s, Content first, Content next, double swapAt, AuditJournal journal,
                                       BiConsumer<Pipeline, Runnable> aroundSwap) {
        List<String> decided = new ArrayList<>();
        long start = s.start().toEpochMilli();
        try (Pipeline p = new Pipeline(first, PipelineOptions.replay(), journal, start)) {
            p.topology(s.topology());
            double current = Double.NaN;
            boolean swapped = next == null;
            for (Observation o : s.observations()) {
                if (!Double.isNaN(current) && o.t() != current) {
                    step(p, start, current, decided);
                    if (!swapped && o.t() >= swapAt) {
                        aroundSwap.accept(p, () -> p.swapContent(next));
                        swapped = true;
                    }
                }
                current = o.t();
                p.accept(o.telemetry());
            }
            step(p, start, current, decided);
        }
        return decided;
    }

    private static void step(Pipeline p, long start, double t, List<String> out) {
        for (Decision d : p.step(start + Math.round(t * 1000))) {
            out.add(t + " " + d.signature() + " " + d.target().labels() + " " + d.kind().wireName() + " " + d.playbook()
                    + " " + d.confidence());
        }
    }

    private static AuditJournal journal() {
        return AuditJournal.inMemory(InstantSource.fixed(java.time.Instant.EPOCH));
    }

    @Test
    @DisplayName("a reload half-way through each recorded incident changes none of its decisions")
    void aReloadHalfWayThroughEveryRecordedIncidentChangesNoDecision() throws Exception {
        Path dir = Repo.sharedOrSkip("scenarios");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        int decisions = 0;
        for (Path f : files) {
            Scenario s = ScenarioReader.read(f);
            double half = s.observations().get(s.observations().size() - 1).t() / 2;
            // decisions of one step come in the order the session concluded their evidence: compare them as sets
            List<String> plain = replay(s, original, null, 0, journal(), (p, swap) -> swap.run()).stream().sorted().toList();
            List<String> reloaded = replay(s, original, edited, half, journal(), (p, swap) -> swap.run()).stream().sorted().toList();
            assertEquals(plain, reloaded, f.getFileName() + ": decisions with a reload at t=" + half);
            decisions += plain.size();
        }
        assertTrue(decisions > 0, "the shared incidents decide something");
    }

    @Test
    @DisplayName("the swap moves every condensed state fact into the new session and keeps open diagnoses open")
    void theSwapCarriesEveryStatedFactAndKeepsOpenDiagnoses() throws Exception {
        Scenario s = ScenarioReader.read(Repo.sharedOrSkip("scenarios").resolve("db-pool-exhaustion.jsonl"));
        List<Object> before = new ArrayList<>();
        List<Object> after = new ArrayList<>();
        int[] open = new int[2];
        long[] counts = new long[3];
        List<String> decided = replay(s, original, edited, 300, journal(), (p, swap) -> {
            before.addAll(p.engine().facts(SeriesState.class));
            before.addAll(p.engine().facts(LogPatternRate.class));
            open[0] = p.openDiagnoses();
            counts[0] = p.condenser().stats().observationsIn();
            var oldEngine = p.engine();
            swap.run();
            assertNotSame(oldEngine, p.engine());
            assertTrue(p.content() == edited);
            after.addAll(p.engine().facts(SeriesState.class));
            after.addAll(p.engine().facts(LogPatternRate.class));
            open[1] = p.openDiagnoses();
            counts[1] = p.condenser().stats().observationsIn();
        });
        assertFalse(before.isEmpty());
        Set<Object> carried = Collections.newSetFromMap(new IdentityHashMap<>());
        carried.addAll(after);
        assertEquals(before.size(), after.size(), "state facts before and after the swap");
        assertTrue(before.stream().allMatch(carried::contains), "the very same state objects are in the new session");
        assertTrue(open[0] > 0, "a diagnosis is open at the swap");
        assertEquals(open[0], open[1], "open diagnoses before and after");
        assertEquals(counts[0], counts[1]);
        assertEquals(1, decided.stream().filter(d -> d.contains("db-connection-pool-exhaustion")).count(),
                "the pool exhaustion decided at t=246 is not decided again after the reload: " + decided);
    }

    @Test
    @DisplayName("the swap keeps the online detectors: the same forecast facts, and the next step goes on from them")
    void theSwapKeepsTheDetectorsAndTheirForecasts() throws Exception {
        Scenario s = ScenarioReader.read(Repo.sharedOrSkip("scenarios").resolve("disk-will-fill-logs.jsonl"));
        List<Forecast> before = new ArrayList<>();
        List<Forecast> after = new ArrayList<>();
        replay(s, original, edited, 900, journal(), (p, swap) -> {
            before.addAll(p.engine().facts(Forecast.class));
            swap.run();
            after.addAll(p.engine().facts(Forecast.class));
        });
        assertFalse(before.isEmpty(), "the filesystems are forecast");
        Set<Object> carried = Collections.newSetFromMap(new IdentityHashMap<>());
        carried.addAll(after);
        assertTrue(before.stream().allMatch(carried::contains), "the very same forecast facts are in the new session");
        assertTrue(before.stream().allMatch(f -> f.steps() >= 14), "15 min of one-minute steps learned before the reload");
    }

    @Test
    @DisplayName("an open diagnosis whose signature a reload removed is closed and journalled with the reason")
    void anOpenDiagnosisWhoseSignatureWasRemovedIsClosedAndJournalled() throws Exception {
        Scenario s = ScenarioReader.read(Repo.sharedOrSkip("scenarios").resolve("certificate-expiring.jsonl"));
        AuditJournal journal = journal();
        List<SwapOutcome> outcome = new ArrayList<>();
        List<String> decided = replay(s, original, withoutCertificates, 60, journal, (p, swap) -> {
            assertTrue(p.openDiagnoses() > 0);
            outcome.add(p.swapContent(withoutCertificates));
        });
        assertEquals(1, decided.size(), "decided once, before the reload: " + decided);
        assertEquals(List.of("certificate-expiring {service=edge, host=edge-1, instance=https://api.example.com}"),
                outcome.get(0).diagnosesClosed());
        assertTrue(journal.lines().stream().anyMatch(l -> l.contains("\"diagnosis.cleared\"")
                && l.contains("certificate-expiring") && l.contains("signature removed by a content reload")), String.join("\n", journal.lines()));
    }
}
