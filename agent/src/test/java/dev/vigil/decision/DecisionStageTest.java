package dev.vigil.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.confidence.ConfidenceModel;
import dev.vigil.confidence.TrackRecord;
import dev.vigil.content.ContentFile;
import dev.vigil.fact.Contraindication;
import dev.vigil.fact.Evidence;
import dev.vigil.fact.Target;
import dev.vigil.signature.SignatureCatalog;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When a diagnosis is decided, and how often: timelines on a fake clock. */
class DecisionStageTest {
    private static final String SIGNATURE = """
            id: pool
            title: Pool exhausted
            severity: critical
            description: a pool is exhausted while its database is fine
            prior: 0.2
            target: [service, host]
            requires: [saturated]
            evidence:
              saturated: {source: metric, weight: 2.0, description: active >= max for 60s}
              waiting: {source: metric, weight: 1.0, description: pending > 0}
              timeouts: {source: log, weight: 1.0, description: timeouts logged}
              deployed: {source: event, weight: 0.5, description: a deploy happened}
            playbooks: [recycle]
            contraindications:
              db-down: {effect: suppress, description: the database is down}
              single: {effect: require-approval, description: only instance}
            """;

    private DecisionStage stage;
    private final Target app1 = Target.serviceHost("checkout", "app-1");
    private final AtomicInteger ids = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        SignatureCatalog catalog = SignatureCatalog.parse(List.of(new ContentFile("signatures/pool.yaml", SIGNATURE)));
        stage = new DecisionStage(catalog, ConfidenceModel.withDefaults(), new Gate(GovernancePolicy.defaults()),
                playbook -> Optional.of(Risk.LOW), (target, source) -> true, (s, p) -> TrackRecord.NONE,
                () -> "d-" + ids.incrementAndGet());
    }

    private Evidence ev(String key, long at) {
        return Evidence.of("pool", key, app1, key + " holds", at);
    }

    @Test
    void strongEvidenceExecutesAtOnceWithoutWaitingToSettle() {
        var step = stage.step(1_000, List.of(ev("saturated", 1_000), ev("waiting", 1_000), ev("timeouts", 1_000)), List.of());
        assertEquals(1, step.decisions().size());
        Decision d = step.decisions().get(0);
        assertEquals(DecisionKind.EXECUTE, d.kind());
        assertEquals("recycle", d.playbook());
        assertTrue(d.confidence() >= 0.9, "confidence " + d.confidence());
    }

    @Test
    void aMediumDiagnosisWaitsForItsSettleTimeThenAsks() {
        assertTrue(stage.step(0, List.of(ev("saturated", 0)), List.of()).decisions().isEmpty());
        assertTrue(stage.step(119_000, List.of(ev("saturated", 119_000)), List.of()).decisions().isEmpty());
        var step = stage.step(120_000, List.of(ev("saturated", 120_000)), List.of());
        assertEquals(1, step.decisions().size());
        assertEquals(DecisionKind.APPROVE, step.decisions().get(0).kind());
    }

    @Test
    void evidenceThatArrivesDuringSettleTurnsAnAskIntoAnExecute() {
        stage.step(0, List.of(ev("saturated", 0)), List.of());
        var step = stage.step(60_000, List.of(ev("saturated", 60_000), ev("waiting", 60_000), ev("timeouts", 60_000)), List.of());
        assertEquals(DecisionKind.EXECUTE, step.decisions().get(0).kind());
    }

    @Test
    void anOpenDiagnosisIsDecidedOnceAndAgainOnlyAfterItHasClearedForTheGraceTime() {
        List<Evidence> strong = List.of(ev("saturated", 0), ev("waiting", 0), ev("timeouts", 0));
        assertEquals(1, stage.step(0, strong, List.of()).decisions().size());
        assertEquals(0, stage.step(15_000, strong, List.of()).decisions().size());
        assertTrue(stage.step(30_000, List.of(), List.of()).cleared().isEmpty(), "absent, but not for 120 s yet");
        var cleared = stage.step(150_000, List.of(), List.of());
        assertEquals(1, cleared.cleared().size());
        assertEquals("d-1", cleared.cleared().get(0).decisionId());
        assertEquals(1, stage.step(165_000, strong, List.of()).decisions().size());
    }

    @Test
    void evidenceThatFlapsAroundItsThresholdDoesNotDecideAgain() {
        List<Evidence> strong = List.of(ev("saturated", 0), ev("waiting", 0), ev("timeouts", 0));
        int decisions = 0;
        for (int i = 0; i < 40; i++) {
            long now = i * 15_000L;
            decisions += stage.step(now, i % 2 == 0 ? strong : List.of(), List.of()).decisions().size();
        }
        assertEquals(1, decisions, "one execute for one incident, however often its evidence flickers");
    }

    @Test
    void contextAloneMakesNoDiagnosis() {
        var step = stage.step(0, List.of(ev("deployed", 0), ev("timeouts", 0)), List.of());
        assertTrue(step.opened().isEmpty());
        assertTrue(stage.step(600_000, List.of(ev("deployed", 0), ev("timeouts", 0)), List.of()).decisions().isEmpty());
    }

    @Test
    void aHoldingContraindicationSuppressesWithItsReasonEvenWhenStrong() {
        var step = stage.step(0, List.of(ev("saturated", 0), ev("waiting", 0), ev("timeouts", 0)), List.of());
        assertEquals(DecisionKind.EXECUTE, step.decisions().get(0).kind(), "no contraindication yet");
        setUp2();
        var held = stage.step(0, List.of(ev("saturated", 0), ev("waiting", 0), ev("timeouts", 0)),
                List.of(new Contraindication("pool", "db-down", Target.service("checkout"), "orders-db is down")));
        // a strong diagnosis under a suppressing contraindication waits out its settle time, then suppresses
        assertTrue(held.decisions().isEmpty());
        var decided = stage.step(120_000, List.of(ev("saturated", 120_000), ev("waiting", 0), ev("timeouts", 0)),
                List.of(new Contraindication("pool", "db-down", Target.service("checkout"), "orders-db is down")));
        Decision d = decided.decisions().get(0);
        assertEquals(DecisionKind.SUPPRESS, d.kind());
        assertTrue(d.reasons().contains("contraindicated: orders-db is down"), d.reasons().toString());
    }

    @Test
    void aContraindicationOnAnotherTargetDoesNotApply() {
        var step = stage.step(0, List.of(ev("saturated", 0), ev("waiting", 0), ev("timeouts", 0)),
                List.of(new Contraindication("pool", "db-down", Target.serviceHost("checkout", "app-2"), "not this one")));
        assertEquals(DecisionKind.EXECUTE, step.decisions().get(0).kind());
    }

    @Test
    void requireApprovalCapsAStrongLowRiskDiagnosisAtApprove() {
        var step = stage.step(0, List.of(ev("saturated", 0), ev("waiting", 0), ev("timeouts", 0)),
                List.of(new Contraindication("pool", "single", Target.ANY, "only one healthy instance")));
        assertTrue(step.decisions().isEmpty(), "an approve waits for its settle time");
        var later = stage.step(120_000, List.of(ev("saturated", 120_000), ev("waiting", 0), ev("timeouts", 0)),
                List.of(new Contraindication("pool", "single", Target.ANY, "only one healthy instance")));
        assertEquals(DecisionKind.APPROVE, later.decisions().get(0).kind());
    }

    private void setUp2() {
        try {
            setUp();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
