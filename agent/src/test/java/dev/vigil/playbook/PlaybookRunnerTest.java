package dev.vigil.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.content.ContentSource;
import dev.vigil.fact.ServiceNode;
import dev.vigil.fact.Target;
import dev.vigil.fact.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner: steps, verification, rollback, and every guard stopping a run with its reason in the journal. */
class PlaybookRunnerTest {
    @TempDir
    Path dir;

    private RunnerFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private RunnerFixture fixture() throws Exception {
        f = new RunnerFixture(dir);
        return f;
    }

    private static Target web(String host) {
        return Target.serviceHost("shop", host);
    }

    /** A fix that works: the step makes the app stop failing. */
    private void fixWorks() {
        f.exec.answers.put("restart", v -> {
            f.facts.set("app_errors", "shop", v.get("host"), 0);
            return StepOutcome.succeeded("restarted", 5);
        });
    }

    /** The one refusal of a run: its guard and reason, as journalled. */
    private Map<String, ?> refusal(RunResult r) {
        assertEquals(RunResult.Outcome.REFUSED, r.outcome(), r.toString());
        List<RunnerFixture.Entry> refused = f.records("playbook.refused").stream()
                .filter(e -> r.runId().equals(e.data().get("run"))).toList();
        assertEquals(1, refused.size(), f.journal.toString());
        return refused.get(0).data();
    }

    @Test
    @DisplayName("the steps run in order, the verification holds on live facts, and the outcome is verified")
    void stepsThenVerificationThenVerifiedOutcome() throws Exception {
        fixture().failing("web-1");
        fixWorks();
        RunResult r = RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-1"))));
        assertEquals(RunResult.Outcome.VERIFIED, r.outcome(), r.reason());
        assertEquals(List.of("playbook.intent", "playbook.step", "playbook.step", "playbook.verification", "playbook.outcome"),
                f.types(r.runId()));
        assertEquals(List.of("restart web-1"), f.exec.calls);
        assertEquals(List.of("tell web-1"), f.notify.calls);
        RunnerFixture.Entry step = f.records("playbook.step").get(0);
        assertEquals("exec playbooks/scripts/restart-app --host web-1", step.data().get("summary"));
        assertEquals("restarted", step.data().get("output"));
        assertEquals("verified", f.records("playbook.outcome").get(0).data().get("outcome"));
        assertEquals(new TrackRecords.Tally(1, 0), f.trackRecords.of("app-broken", "restart-app"));
        assertEquals(0, f.runner.inFlight());
    }

    @Test
    @DisplayName("a verification that does not hold by its deadline runs the rollback and ends rolled back")
    void failedVerificationRollsBack() throws Exception {
        fixture().failing("web-1");
        RunResult r = f.await(f.runner.submit(f.decision("restart-app", web("web-1"))));
        assertEquals(RunResult.Outcome.ROLLED_BACK, r.outcome(), r.reason());
        assertTrue(r.reason().startsWith("the verification did not hold within 120s: app_errors{service=shop, host=web-1} < 1"),
                r.reason());
        assertEquals(List.of("restart web-1", "undo web-1"), f.exec.calls);
        assertEquals(List.of("playbook.intent", "playbook.step", "playbook.step", "playbook.verification",
                "playbook.rollback", "playbook.step", "playbook.outcome"), f.types(r.runId()));
        assertEquals(false, f.records("playbook.verification").get(0).data().get("held"));
        assertEquals("rolled-back", f.records("playbook.outcome").get(0).data().get("outcome"));
        assertEquals(new TrackRecords.Tally(0, 1), f.trackRecords.of("app-broken", "restart-app"));
    }

    @Test
    void aFailedStepStopsTheStepsAndRollsBack() throws Exception {
        fixture().failing("web-1");
        f.exec.answers.put("restart", v -> StepOutcome.failed("", "exit 1: no such unit", 3, false));
        RunResult r = RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-1"))));
        assertEquals(RunResult.Outcome.ROLLED_BACK, r.outcome());
        assertEquals("steps step restart failed: exit 1: no such unit; rolled back", r.reason());
        assertEquals(List.of(), f.notify.calls, "no step after a failed one");
    }

    @Test
    void aStaleSampleFromBeforeTheStepsVerifiesNothing() throws Exception {
        fixture().failing("web-1");
        f.facts.set("app_errors", "shop", "web-1", 0); // already fine before the run: not proof the run fixed it
        f.clock.advance(Duration.ofSeconds(1));
        RunResult r = f.await(f.runner.submit(f.decision("restart-app", web("web-1"))));
        assertEquals(RunResult.Outcome.ROLLED_BACK, r.outcome(), r.reason());
        assertTrue(r.reason().contains("seen: no fresh series"), r.reason());
    }

    @Test
    @DisplayName("guard: a precondition that does not hold on current facts refuses the run")
    void preconditionRefuses() throws Exception {
        fixture().facts.set("app_up", "shop", "web-1", 0);
        RunResult r = RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-1"))));
        Map<String, ?> refused = refusal(r);
        assertEquals("precondition", refused.get("guard"));
        assertEquals("precondition does not hold now: app_up{service=shop, host=web-1} == 1 (seen: 0 over 1 series)",
                refused.get("reason"));
        assertEquals(List.of(), f.exec.calls);
    }

    @Test
    @DisplayName("guard: the cooldown refuses the same playbook on the same target, not on another")
    void cooldownPerTarget() throws Exception {
        fixture().failing("web-1");
        f.failing("web-2");
        fixWorks();
        assertEquals(RunResult.Outcome.VERIFIED, RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-1")))).outcome());
        f.clock.advance(Duration.ofMinutes(9));
        f.failing("web-1");
        Map<String, ?> refused = refusal(RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-1")))));
        assertEquals("cooldown", refused.get("guard"));
        assertTrue(((String) refused.get("reason")).contains("again from 2026-03-01T10:10:00Z"), refused.toString());
        f.failing("web-2");
        assertEquals(RunResult.Outcome.VERIFIED, RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-2")))).outcome());
        f.clock.advance(Duration.ofMinutes(2));
        f.failing("web-1");
        assertEquals(RunResult.Outcome.VERIFIED, RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-1")))).outcome());
    }

    @Test
    @DisplayName("guard: max runs per playbook per hour")
    void maxRunsPerHour() throws Exception {
        f = new RunnerFixture(dir, RunnerConfig.defaults().withVerifyEvery(Duration.ofMillis(10)), new Topology(List.of(
                new ServiceNode("shop", "", List.of("web-1", "web-2", "web-3", "web-4", "web-5"), List.of()))));
        fixWorks();
        // each run on its own service keeps the blast radius (2 instances per service) out of the way
        List<String> outcomes = new ArrayList<>();
        for (String host : List.of("web-1", "web-2", "web-3", "web-4")) {
            f.facts.set("app_up", host + "-svc", host, 1);
            f.facts.set("app_errors", host + "-svc", host, 5);
            f.exec.answers.put("restart", v -> {
                f.facts.set("app_errors", v.get("service"), v.get("host"), 0);
                return StepOutcome.succeeded("", 1);
            });
            outcomes.add(RunnerFixture.get(f.runner.submit(f.decision("restart-app", Target.serviceHost(host + "-svc", host))))
                    .outcome().wireName());
        }
        assertEquals(List.of("verified", "verified", "verified", "refused"), outcomes);
        assertEquals("max-runs-per-hour", f.records("playbook.refused").get(0).data().get("guard"));
        assertEquals("max runs per hour: restart-app ran 3 times in the last hour, limit 3",
                f.records("playbook.refused").get(0).data().get("reason"));
    }

    @Test
    @DisplayName("guard: per-playbook and global concurrency count runs until their outcome")
    void concurrency() throws Exception {
        f = new RunnerFixture(dir, new RunnerConfig(4, 8, 2, 3, Duration.ofHours(1), 20, Duration.ofMillis(10),
                Duration.ofMinutes(5), false, Optional.empty()), new Topology(List.of(
                new ServiceNode("shop", "", List.of("web-1", "web-2", "web-3"), List.of()))),
                "other-app.yaml", RunnerFixture.PLAYBOOK.replace("id: restart-app", "id: other-app"),
                "third-app.yaml", RunnerFixture.PLAYBOOK.replace("id: restart-app", "id: third-app"));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        f.exec.answers.put("restart", v -> {
            started.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            f.facts.set("app_errors", "shop", v.get("host"), 0);
            return StepOutcome.succeeded("", 1);
        });
        f.failing("web-1");
        f.failing("web-2");
        f.failing("web-3");
        CompletableFuture<RunResult> first = f.runner.submit(f.decision("restart-app", web("web-1")));
        CompletableFuture<RunResult> other = f.runner.submit(f.decision("other-app", web("web-2")));
        assertTrue(started.await(20, TimeUnit.SECONDS));
        assertEquals("global concurrency: 2 runs in flight, limit 2", refusal(RunnerFixture.get(
                f.runner.submit(f.decision("third-app", web("web-3"))))).get("reason"));
        release.countDown();
        assertEquals(RunResult.Outcome.VERIFIED, RunnerFixture.get(first).outcome());
        assertEquals(RunResult.Outcome.VERIFIED, RunnerFixture.get(other).outcome());
    }

    @Test
    @DisplayName("guard: a playbook's own max_concurrent refuses a second run while the first is verifying")
    void perPlaybookConcurrency() throws Exception {
        fixture().failing("web-1");
        f.failing("web-2");
        CountDownLatch told = new CountDownLatch(1);
        f.notify.answers.put("tell", v -> {
            told.countDown();
            return StepOutcome.succeeded("", 1);
        });
        CompletableFuture<RunResult> first = f.runner.submit(f.decision("restart-app", web("web-1")));
        // after its last step the first run polls its verification (the clock stands still): still in flight
        assertTrue(told.await(20, TimeUnit.SECONDS));
        Map<String, ?> refused = refusal(RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-2")))));
        assertEquals("playbook concurrency: 1 runs of restart-app in flight, limit 1", refused.get("reason"));
        assertEquals(RunResult.Outcome.ROLLED_BACK, f.await(first).outcome());
    }

    @Test
    @DisplayName("guard: blast radius by count, by share of the service's instances, and unknown population")
    void blastRadius() throws Exception {
        String percent = RunnerFixture.PLAYBOOK.replace("id: restart-app", "id: restart-pct")
                .replace("blast_radius: {max_instances: 2}", "blast_radius: {max_percent: 25}")
                .replace("max_runs_per_hour: 3", "max_runs_per_hour: 10");
        f = new RunnerFixture(dir, RunnerConfig.defaults().withVerifyEvery(Duration.ofMillis(10)), new Topology(List.of(
                new ServiceNode("shop", "", List.of("web-1", "web-2", "web-3", "web-4"), List.of()))),
                "restart-pct.yaml", percent);
        fixWorks();
        for (String h : List.of("web-1", "web-2", "web-3", "web-4")) {
            f.failing(h);
        }
        assertEquals(RunResult.Outcome.VERIFIED, RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-1")))).outcome());
        assertEquals(RunResult.Outcome.VERIFIED, RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-2")))).outcome());
        Map<String, ?> byCount = refusal(RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-3")))));
        assertEquals("blast-radius", byCount.get("guard"));
        assertTrue(((String) byCount.get("reason")).startsWith("blast radius: would act on 3 instances of service shop, at most 2"),
                byCount.toString());

        f.failing("web-3");
        assertEquals(RunResult.Outcome.VERIFIED, RunnerFixture.get(f.runner.submit(f.decision("restart-pct", web("web-3")))).outcome());
        Map<String, ?> byShare = refusal(RunnerFixture.get(f.runner.submit(f.decision("restart-pct", web("web-4")))));
        assertTrue(((String) byShare.get("reason")).startsWith(
                "blast radius: would act on 2 of 4 instances of service shop, at most 25 % (1)"), byShare.toString());

        f.facts.set("app_up", "cart", "cart-1", 1);
        Map<String, ?> unknown = refusal(RunnerFixture.get(f.runner.submit(f.decision("restart-pct", Target.serviceHost("cart", "cart-1")))));
        assertTrue(((String) unknown.get("reason")).contains("the number of instances of service cart (not in the topology) is unknown"),
                unknown.toString());

        f.clock.advance(Duration.ofMinutes(61));
        f.failing("web-4");
        assertEquals(RunResult.Outcome.VERIFIED, RunnerFixture.get(f.runner.submit(f.decision("restart-pct", web("web-4")))).outcome(),
                "the window has passed");
    }

    @Test
    @DisplayName("guard: an empty or unexpectedly large target set is an error, never all")
    void targetSetEmptyOrTooLarge() throws Exception {
        String serviceWide = """
                id: restart-all
                title: Restart a service
                description: For runner tests.
                risk: low
                parameters:
                  service: {type: string, pattern: '^[a-z][a-z0-9-]*$', from: target.service}
                steps:
                  - name: restart
                    executor: exec
                    timeout: 10s
                    script: restart-app
                    args: ["--service", "{{service}}"]
                verification:
                  within: 2m
                  all:
                    - metric: app_errors
                      match: {service: "{{service}}"}
                      op: "<"
                      value: 1
                limits:
                  cooldown: 10m
                  max_runs_per_hour: 3
                  max_concurrent: 1
                  blast_radius: {max_percent: 100}
                """;
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            many.add("big-" + i);
        }
        f = new RunnerFixture(dir, RunnerConfig.defaults(), new Topology(List.of(new ServiceNode("big", "", many, List.of()))),
                "restart-all.yaml", serviceWide);
        Map<String, ?> empty = refusal(RunnerFixture.get(f.runner.submit(f.decision("restart-all", Target.service("ghost")))));
        assertEquals("target-set", empty.get("guard"));
        assertTrue(((String) empty.get("reason")).startsWith("empty target set: {service=ghost} names no instance"), empty.toString());
        Map<String, ?> large = refusal(RunnerFixture.get(f.runner.submit(f.decision("restart-all", Target.service("big")))));
        assertEquals("unexpectedly large target set: 25 instances of service big, more than the 20 allowed in one run",
                large.get("reason"));
        assertEquals(List.of(), f.exec.calls);
    }

    @Test
    @DisplayName("guard: a hostile telemetry value refuses the whole run before any step")
    void hostileParameterRefuses() throws Exception {
        fixture();
        Map<String, ?> refused = refusal(RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-1; rm -rf /")))));
        assertEquals("parameters", refused.get("guard"));
        assertTrue(((String) refused.get("reason")).contains("parameter host: value \"web-1; rm -rf /\""), refused.toString());
        assertEquals(List.of(), f.exec.calls);
    }

    @Test
    void aDecisionRunsAtMostOnce() throws Exception {
        fixture().failing("web-1");
        fixWorks();
        var d = f.decision("restart-app", web("web-1"));
        assertEquals(RunResult.Outcome.VERIFIED, RunnerFixture.get(f.runner.submit(d)).outcome());
        Map<String, ?> again = refusal(RunnerFixture.get(f.runner.submit(d)));
        assertEquals("idempotency", again.get("guard"));
        assertEquals(List.of("restart web-1"), f.exec.calls);
    }

    @Test
    @DisplayName("kill switch: the method refuses new runs until released, and is journalled")
    void killSwitchMethod() throws Exception {
        fixture().failing("web-1");
        fixWorks();
        f.runner.engageKillSwitch("alice", "incident 42");
        Map<String, ?> refused = refusal(RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-1")))));
        assertEquals("kill switch engaged: incident 42 (by alice)", refused.get("reason"));
        f.runner.releaseKillSwitch("alice");
        assertEquals(RunResult.Outcome.VERIFIED, RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-1")))).outcome());
        assertEquals(2, f.records("kill-switch").size());
    }

    @Test
    @DisplayName("fleet: a refused grant refuses the run with the fleet's reason, and nothing runs")
    void aFleetRefusalRefusesTheRun() throws Exception {
        fixture().failing("web-1");
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        f.fleet.set((d, pb, target, instances) -> {
            asked.add(pb.id() + " " + target + " of " + instances);
            return FleetPermits.Permit.refused("fleet: no_quorum: no grant: the ZooKeeper session is SUSPENDED");
        });
        Map<String, ?> refused = refusal(RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-1")))));
        assertEquals("fleet", refused.get("guard"));
        assertEquals("fleet: no_quorum: no grant: the ZooKeeper session is SUSPENDED", refused.get("reason"));
        assertEquals(List.of("restart-app web-1 of 4"), asked, "asked once, for the one target, with the service's size");
        assertEquals(List.of(), f.exec.calls);
    }

    @Test
    @DisplayName("fleet: every step of a granted run is handed the grant's fencing token, which the intent journals")
    void aGrantedRunHandsItsFencingTokenToEveryStep() throws Exception {
        fixture().failing("web-1");
        f.fleet.set((d, pb, target, instances) -> granted(() -> true, () -> { }, java.util.OptionalLong.of(4_294_967_301L)));
        f.exec.answers.put("restart", v -> {
            f.facts.set("app_errors", "shop", "web-1", 0);
            return StepOutcome.succeeded("", 1);
        });
        RunResult r = f.await(f.runner.submit(f.decision("restart-app", web("web-1"))));

        assertEquals(RunResult.Outcome.VERIFIED, r.outcome(), r.reason());
        assertEquals(List.of(java.util.OptionalLong.of(4_294_967_301L)), f.exec.tokens);
        assertEquals(List.of(java.util.OptionalLong.of(4_294_967_301L)), f.notify.tokens);
        assertEquals(4_294_967_301L, f.records("playbook.intent").get(0).data().get("fencing_token"));
    }

    @Test
    @DisplayName("on one host there is no grant, so no step is handed a fencing token")
    void aLocalRunHandsNoFencingToken() throws Exception {
        fixture().failing("web-1");
        f.exec.answers.put("restart", v -> {
            f.facts.set("app_errors", "shop", "web-1", 0);
            return StepOutcome.succeeded("", 1);
        });
        f.await(f.runner.submit(f.decision("restart-app", web("web-1"))));

        assertEquals(List.of(java.util.OptionalLong.empty()), f.exec.tokens);
        assertFalse(f.records("playbook.intent").get(0).data().containsKey("fencing_token"));
    }

    @Test
    @DisplayName("fleet: a grant lost between two steps stops the run before the next step, and is released")
    void aLostGrantStopsBeforeTheNextStep() throws Exception {
        fixture().failing("web-1");
        java.util.concurrent.atomic.AtomicBoolean live = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        f.fleet.set((d, pb, target, instances) -> granted(live::get, () -> released.set(true), java.util.OptionalLong.empty()));
        f.exec.answers.put("restart", v -> {
            live.set(false); // the session ends while the first step runs
            return StepOutcome.succeeded("", 1);
        });
        RunResult r = RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-1"))));
        assertEquals(RunResult.Outcome.STOPPED, r.outcome());
        assertEquals(List.of(), f.notify.calls);
        assertTrue(String.valueOf(f.records("playbook.step").get(1).data().get("reason")).startsWith("the fleet grant no longer holds"));
        assertTrue(released.get(), "the grant is given back when the run ends");
    }

    @Test
    @DisplayName("kill switch: the file flag, created between two steps, stops the run before the next step")
    void killSwitchFileStopsBetweenSteps() throws Exception {
        Path flag = dir.resolve("STOP");
        f = new RunnerFixture(dir, RunnerConfig.defaults().withVerifyEvery(Duration.ofMillis(10))
                .withKillSwitch(false, Optional.of(flag)), new Topology(List.of(
                new ServiceNode("shop", "", List.of("web-1", "web-2"), List.of()))));
        f.failing("web-1");
        f.exec.answers.put("restart", v -> {
            try {
                Files.createFile(flag); // an operator pulls the switch while the first step runs
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return StepOutcome.succeeded("", 1);
        });
        RunResult r = RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-1"))));
        assertEquals(RunResult.Outcome.STOPPED, r.outcome());
        assertEquals(List.of(), f.notify.calls);
        RunnerFixture.Entry stopped = f.records("playbook.step").get(1);
        assertEquals("stopped", stopped.data().get("status"));
        assertEquals("kill switch engaged: the file " + flag + " exists", stopped.data().get("reason"));
        f.failing("web-2");
        assertEquals("kill-switch", refusal(RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-2"))))).get("guard"));
        Files.delete(flag);
        f.exec.answers.remove("restart");
        f.facts.set("app_errors", "shop", "web-2", 0);
        assertEquals(RunResult.Outcome.VERIFIED, RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-2")))).outcome());
    }

    @Test
    @DisplayName("circuit: K failed verifications in a row open it; it refuses until a governor closes it")
    void circuitOpensAfterKFailures() throws Exception {
        f = new RunnerFixture(dir, new RunnerConfig(2, 8, 4, 2, Duration.ofHours(1), 20, Duration.ofMillis(10),
                Duration.ofMinutes(5), false, Optional.empty()), new Topology(List.of(
                new ServiceNode("shop", "", List.of("web-1", "web-2", "web-3", "web-4"), List.of()))));
        f.failing("web-1");
        assertEquals(RunResult.Outcome.ROLLED_BACK, f.await(f.runner.submit(f.decision("restart-app", web("web-1")))).outcome());
        assertTrue(f.runner.openCircuits().isEmpty());
        f.failing("web-2");
        assertEquals(RunResult.Outcome.ROLLED_BACK, f.await(f.runner.submit(f.decision("restart-app", web("web-2")))).outcome());
        assertEquals(java.util.Set.of("restart-app"), f.runner.openCircuits());
        assertEquals("open", f.records("playbook.circuit").get(0).data().get("state"));
        f.failing("web-3");
        Map<String, ?> refused = refusal(RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-3")))));
        assertEquals("circuit", refused.get("guard"));
        assertTrue(f.runner.closeCircuit("restart-app", "bob"));
        assertEquals("bob", f.records("playbook.circuit").get(1).data().get("governor"));
        f.clock.advance(Duration.ofMinutes(61)); // past the blast-radius window of the two failed runs
        f.failing("web-3");
        fixWorks();
        assertEquals(RunResult.Outcome.VERIFIED, RunnerFixture.get(f.runner.submit(f.decision("restart-app", web("web-3")))).outcome());
        assertFalse(f.runner.closeCircuit("restart-app", "bob"), "already closed");
    }

    @Test
    void aStepWithNoExecutorInThisAgentIsRefusedAndTheRunRollsBack() throws Exception {
        f = new RunnerFixture(dir);
        PlaybookRunner noNotify = new PlaybookRunner(RunnerConfig.defaults(), new TestContent(dir).load(), List.of(f.exec),
                f.facts, () -> Topology.EMPTY, (t, d) -> f.journal.add(new RunnerFixture.Entry(t, Map.copyOf(d))), f.clock,
                f.trackRecords);
        try {
            f.failing("web-1");
            f.facts.set("app_up", "shop", "web-1", 1);
            RunResult r = RunnerFixture.get(noNotify.submit(f.decision("restart-app", Target.of("service", "shop", "host", "web-1"))));
            assertEquals(RunResult.Outcome.ROLLED_BACK, r.outcome(), r.reason());
            assertTrue(r.reason().startsWith("steps step tell refused: no notify executor is configured in this agent"), r.reason());
        } finally {
            noNotify.close();
        }
    }

    @Test
    void aCatalogWithUnpinnedFilesCannotRun() throws Exception {
        TestContent content = new TestContent(dir).file("restart-app.yaml", RunnerFixture.PLAYBOOK);
        Files.writeString(dir.resolve("playbooks/scripts/restart-app"), "#!/bin/sh\n");
        content.pin();
        Files.writeString(dir.resolve("playbooks/scripts/restart-app"), "#!/bin/sh\nrm -rf /\n");
        PlaybookCatalog reported = PlaybookCatalog.load(ContentSource.directory(dir), PlaybookCatalog.Pins.REPORTED);
        assertFalse(reported.pinned());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PlaybookRunner(
                RunnerConfig.defaults(), reported, List.of(), (c, v, n) -> List.of(), () -> Topology.EMPTY, (t, d) -> { },
                java.time.InstantSource.system(), new TrackRecords()));
        assertTrue(e.getMessage().contains("playbooks/scripts/restart-app"), e.getMessage());
    }

    /** A fleet grant that holds while {@code live} says so, runs {@code release} when given back, and carries {@code token}. */
    private static FleetPermits.Permit granted(java.util.function.BooleanSupplier live, Runnable release,
                                               java.util.OptionalLong token) {
        return new FleetPermits.Permit() {
            @Override
            public Optional<String> refusal() {
                return Optional.empty();
            }

            @Override
            public boolean mayProceed() {
                return live.getAsBoolean();
            }

            @Override
            public void release() {
                release.run();
            }

            @Override
            public java.util.OptionalLong fencingToken() {
                return token;
            }
        };
    }
}
