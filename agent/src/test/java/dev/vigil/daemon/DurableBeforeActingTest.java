package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.audit.BackgroundCommits;
import dev.vigil.confidence.TrackRecord;
import dev.vigil.decision.Decision;
import dev.vigil.decision.DecisionKind;
import dev.vigil.scenario.Observation;
import dev.vigil.scenario.Scenario;
import dev.vigil.scenario.ScenarioReader;
import dev.vigil.testing.Repo;
import dev.vigil.testing.StalledDisk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine thread does not wait for the journal's fsync, yet nothing acts on a decision, nor tells of it, before
 * its record is durable.
 */
@Timeout(120)
class DurableBeforeActingTest {

    @Test
    void anExecuteDecisionActsAndIsToldOnlyOnceItsRecordIsDurable() throws Exception {
        Scenario scenario = ScenarioReader.read(Repo.root().resolve("signatures/scenarios/disk-full/acts-srv-log-metric-only.jsonl"));
        StalledDisk disk = new StalledDisk();
        List<String> seenWhenActing = new CopyOnWriteArrayList<>();
        List<Decision> executed = new CopyOnWriteArrayList<>();
        List<Decision> told = new CopyOnWriteArrayList<>();
        Pipeline.Actions actions = new Pipeline.Actions((signature, playbook) -> TrackRecord.NONE, d -> {
            seenWhenActing.addAll(disk.durableTypes());
            executed.add(d);
        });
        List<Decision> returned = new ArrayList<>();
        try (BackgroundCommits commits = new BackgroundCommits(disk);
             Pipeline pipeline = new Pipeline(TestDaemon.content(), PipelineOptions.replay().withDryRun(false), commits,
                     scenario.start().toEpochMilli(), actions)) {
            pipeline.whenDurable(step -> told.addAll(step.decisions()));
            double current = Double.NaN;
            for (Observation o : scenario.observations()) {
                if (!Double.isNaN(current) && o.t() != current) {
                    returned.addAll(pipeline.step(scenario.start().toEpochMilli() + Math.round(current * 1000)));
                }
                current = o.t();
                pipeline.accept(o.telemetry());
            }
            returned.addAll(pipeline.step(scenario.start().toEpochMilli() + Math.round(current * 1000)));

            // the steps returned with the fsync still stalled: decided and journalled, but nothing acted or was told
            assertTrue(returned.stream().anyMatch(d -> d.kind() == DecisionKind.EXECUTE), returned.toString());
            assertTrue(disk.journal.lines().stream().anyMatch(l -> l.contains("\"type\":\"decision\"")));
            assertEquals(List.of(), executed);
            assertEquals(List.of(), told);

            disk.release();
        } // closing the commits waits for what was queued
        assertEquals(returned.stream().filter(d -> d.kind() == DecisionKind.EXECUTE).toList(), executed);
        assertEquals(returned, told);
        assertTrue(seenWhenActing.contains("decision") && seenWhenActing.contains("playbook.dry-run"),
                "the decision and its plan were durable when the runner got it: " + seenWhenActing);
    }
}
