package dev.vigil.playbook;

import dev.vigil.decision.Decision;
import dev.vigil.decision.Risk;
import dev.vigil.fact.Topology;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the playbook of an execute (or approved) decision for real, on a bounded worker pool. Thread-safe.
 *
 * <p>One run, each stage in the journal before the next begins: the guards, checked now and not at decision time
 * (kill switch, open circuit, parameters, preconditions on live facts, target set, cooldown, runs per hour,
 * concurrency, blast radius); the intent, durable before the first step; each step with its bounded output, the kill
 * switch checked before every one; the verification, evaluated against live facts until its deadline; on a failed
 * step or verification the rollback steps; the outcome, fed to the track records and the playbook's circuit.
 *
 * <p>Implementation notes: a run is a chain of tasks on the worker pool; between verification polls it holds no
 * thread (a scheduler re-submits it). {@link #submit} refuses beyond the queue capacity rather than queueing without
 * bound; a run already under way always gets its next task. A decision runs at most once: its id is the run's
 * idempotency key.
 */
public final class PlaybookRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PlaybookRunner.class);
    private static final int REMEMBERED_DECISIONS = 100_000;

    private final RunnerConfig config;
    private volatile PlaybookCatalog catalog;
    private final FleetPermits fleet; // replaced whole by a content reload
    private final Map<Executor, StepExecutor> executors = new EnumMap<>(Executor.class);
    private final FactView facts;
    private final Supplier<Topology> topology;
    private final RunJournal journal;
    private final InstantSource clock;
    private final TrackRecords trackRecords;
    private final KillSwitch killSwitch;
    private final Circuits circuits;
    private final Guards guards;
    private final Set<String> decisionsSeen = new LinkedHashSet<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService scheduler;

    /**
     * @param executors one per executor kind this agent can run; a step of any other kind is refused
     * @throws IllegalArgumentException when the catalog has files that do not match their pins
     */
    public PlaybookRunner(RunnerConfig config, PlaybookCatalog catalog, List<StepExecutor> executors, FactView facts,
                          Supplier<Topology> topology, RunJournal journal, InstantSource clock, TrackRecords trackRecords) {
        this(config, catalog, executors, facts, topology, journal, clock, trackRecords, FleetPermits.LOCAL);
    }

    /** A runner whose runs also need the fleet's permission ({@link FleetPermits#LOCAL} on one host). */
    public PlaybookRunner(RunnerConfig config, PlaybookCatalog catalog, List<StepExecutor> executors, FactView facts,
                          Supplier<Topology> topology, RunJournal journal, InstantSource clock, TrackRecords trackRecords,
                          FleetPermits fleet) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.config = Objects.requireNonNull(config, "config");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        if (!catalog.pinned()) {
            throw new IllegalArgumentException("the catalog has unpinned files, nothing of it may run: " + catalog.pinProblems());
        }
        for (StepExecutor e : executors) {
            if (this.executors.put(e.kind(), e) != null) {
                throw new IllegalArgumentException("two executors for " + e.kind().wireName());
            }
        }
        this.facts = Objects.requireNonNull(facts, "facts");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.journal = Objects.requireNonNull(journal, "journal");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.trackRecords = Objects.requireNonNull(trackRecords, "trackRecords");
        this.killSwitch = new KillSwitch(config.killSwitch(), config.killSwitchFile());
        this.circuits = new Circuits(config.circuitFailures());
        this.guards = new Guards(config.maxConcurrent(), config.blastWindow(), config.maxTargets());
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(config.workers(), config.workers(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), r -> new Thread(r, "vigil-playbook-" + n.incrementAndGet()));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "vigil-playbook-timer"));
    }

    /**
     * Runs the playbooks of a reloaded catalog from now on; runs already started finish on the playbook they began
     * with.
     *
     * @throws IllegalArgumentException when the catalog has files that do not match their pins (the old one stays)
     */
    public void catalog(PlaybookCatalog next) {
        if (!next.pinned()) {
            throw new IllegalArgumentException("the catalog has unpinned files, nothing of it may run: " + next.pinProblems());
        }
        this.catalog = next;
    }

    /**
     * Runs the decision's playbook; the future completes with the outcome once it is durable in the journal. Never
     * throws for an operational problem: a refusal is an outcome too.
     *
     * @throws IllegalArgumentException when the decision does not act (notify, suppress) or names no playbook
     */
    public CompletableFuture<RunResult> submit(Decision decision) {
        if (!decision.kind().acts() || decision.playbook() == null) {
            throw new IllegalArgumentException("decision " + decision.id() + " is " + decision.kind().wireName()
                    + (decision.playbook() == null ? " with no playbook" : "") + ": only execute or approved decisions run");
        }
        String runId = "run-" + decision.id();
        CompletableFuture<RunResult> result = new CompletableFuture<>();
        synchronized (decisionsSeen) {
            if (!decisionsSeen.add(decision.id())) {
                result.complete(refuse(decision, runId, "idempotency", "decision " + decision.id() + " was already run ("
                        + runId + "); a decision runs at most once"));
                return result;
            }
            if (decisionsSeen.size() > REMEMBERED_DECISIONS) {
                decisionsSeen.remove(decisionsSeen.iterator().next());
            }
        }
        if (waiting.incrementAndGet() > config.queueCapacity()) {
            waiting.decrementAndGet();
            result.complete(refuse(decision, runId, "queue", "the runner's queue is full (" + config.queueCapacity()
                    + " runs waiting); refused rather than queued without bound"));
            return result;
        }
        try {
            workers.execute(() -> {
                waiting.decrementAndGet();
                guarded(result, decision, runId, () -> start(decision, runId, result));
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            waiting.decrementAndGet();
            result.complete(refuse(decision, runId, "runner", "the runner is stopping; nothing new starts"));
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------------- the run

    /** The state of one admitted run, handed from task to task. */
    private final class Run {
        final Decision decision;
        final Playbook playbook;
        final Map<String, String> values;
        final String runId;
        final Guards.Admission admission;
        final FleetPermits.Permit permit;
        final CompletableFuture<RunResult> result;
        final Map<Integer, String> summaries = new HashMap<>();
        final Map<Integer, String> rollbackSummaries = new HashMap<>();
        final Map<Integer, Long> absentSince = new HashMap<>();
        final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        long verifyFrom;
        long deadline;

        Run(Decision decision, Playbook playbook, Map<String, String> values, String runId, Guards.Admission admission,
            FleetPermits.Permit permit, CompletableFuture<RunResult> result) {
            this.permit = permit;
            this.decision = decision;
            this.playbook = playbook;
            this.values = values;
            this.runId = runId;
            this.admission = admission;
            this.result = result;
            DryRunPlanner.plan(playbook, values).forEach(p -> summaries.put(p.index(), plain(p.summary())));
            DryRunPlanner.planRollback(playbook, values).forEach(p -> rollbackSummaries.put(p.index(), plain(p.summary())));
        }
    }

    private void start(Decision d, String runId, CompletableFuture<RunResult> result) {
        Optional<Playbook> found = catalog.get(d.playbook());
        if (found.isEmpty()) {
            result.complete(refuse(d, runId, "playbook", "playbook " + d.playbook() + " is not loaded"));
            return;
        }
        Playbook pb = found.get();
        Optional<String> stop = killSwitch.engaged();
        if (stop.isPresent()) {
            result.complete(refuse(d, runId, "kill-switch", stop.get()));
            return;
        }
        if (circuits.isOpen(pb.id())) {
            result.complete(refuse(d, runId, "circuit", "circuit open: the verification of " + pb.id() + " failed "
                    + circuits.threshold() + " times in a row; a governor must close it"));
            return;
        }
        BindResult bound = ParameterBinder.bind(pb, d.target(), d.bindings());
        if (bound instanceof BindResult.Refused r) {
            result.complete(refuse(d, runId, "parameters", "parameters refused: " + String.join("; ", r.reasons())));
            return;
        }
        Map<String, String> values = ((BindResult.Bound) bound).values();
        List<ConditionCheck> pre = check(pb.preconditions(), values, clock.millis() - config.freshness().toMillis());
        List<String> failing = pre.stream().filter(c -> !c.holds()).map(c -> c.condition() + " (seen: " + c.observed() + ")").toList();
        if (!failing.isEmpty()) {
            result.complete(refuse(d, runId, "precondition", "precondition does not hold now: " + String.join("; ", failing)));
            return;
        }
        Guards.TargetSet set = Guards.targetSet(d.target(), topology.get());
        Guards.Result admitted = guards.admit(pb, d.target(), set, clock.instant());
        if (admitted.admission().isEmpty()) {
            result.complete(refuse(d, runId, admitted.guard(), admitted.reason()));
            return;
        }
        // the fleet locks and counts hosts (or the one instance acted on), as the blast radius does
        String target = !d.target().host().isEmpty() ? d.target().host()
                : set.instances().size() == 1 ? set.instances().iterator().next() : d.target().toString();
        FleetPermits.Permit permit = fleet.request(d, pb, target, set.population());
        if (permit.refusal().isPresent()) {
            guards.release(admitted.admission().get());
            result.complete(refuse(d, runId, "fleet", permit.refusal().get()));
            return;
        }
        Run run;
        try {
            run = new Run(d, pb, values, runId, admitted.admission().get(), permit, result);
            Map<String, Object> intent = base(run);
            intent.put("idempotency_key", d.id() + "/" + pb.id());
            intent.put("parameters", values);
            intent.put("instances", set.instances());
            intent.put("steps", List.copyOf(new java.util.TreeMap<>(run.summaries).values()));
            intent.put("preconditions", pre);
            permit.fencingToken().ifPresent(token -> intent.put("fencing_token", token));
            journal.record("playbook.intent", intent); // durable before the first step, or no step at all
        } catch (RuntimeException e) {
            guards.release(admitted.admission().get());
            permit.release();
            throw e;
        }
        inRun(run, () -> runSteps(run));
    }

    /** Runs a task of an admitted run; anything it throws (a journal that cannot write) ends the run, no further step. */
    private void inRun(Run run, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("run {} of {} stopped: {}", run.runId, run.playbook.id(), e.toString(), e);
            end(run, new RunResult(run.runId, run.decision.id(), run.playbook.id(), RunResult.Outcome.FAILED,
                    "the run stopped: " + e.getMessage()));
        }
    }

    /** Releases the run's admission and completes its future, once. */
    private void end(Run run, RunResult result) {
        if (run.ended.compareAndSet(false, true)) {
            guards.release(run.admission);
            run.permit.release();
            run.result.complete(result);
        }
    }

    private void runSteps(Run run) {
        Stage s = runList(run, run.playbook.steps(), "steps", run.summaries);
        if (s.stopped()) {
            finish(run, RunResult.Outcome.STOPPED, s.reason());
        } else if (!s.ok()) {
            rollback(run, s.reason());
        } else if (run.playbook.verification() == null) {
            finish(run, RunResult.Outcome.COMPLETED, "every step succeeded; the playbook changes nothing to verify");
        } else {
            run.verifyFrom = clock.millis();
            run.deadline = run.verifyFrom + run.playbook.verification().within().toMillis();
            verify(run);
        }
    }

    /** One evaluation of the verification; the next is scheduled until it holds or its deadline passes. */
    private void verify(Run run) {
        long now = clock.millis();
        Verification v = run.playbook.verification();
        List<ConditionCheck> checks = check(v.all(), run.values, run.verifyFrom);
        List<String> failing = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            ConditionCheck c = checks.get(i);
            boolean holds = c.holds();
            if (v.all().get(i) instanceof Condition.EvidenceAbsent absent) {
                // absent now is not enough: it must stay absent for absent_for, counted from after the steps
                if (holds) {
                    long since = run.absentSince.computeIfAbsent(i, k -> now);
                    holds = now - since >= absent.absentFor().toMillis();
                } else {
                    run.absentSince.remove(i);
                }
            }
            if (!holds) {
                failing.add(c.condition() + " (seen: " + c.observed() + ")");
            }
        }
        boolean held = failing.isEmpty();
        if (held || now >= run.deadline) {
            Map<String, Object> data = base(run);
            data.put("held", held);
            data.put("within", v.within().toSeconds() + "s");
            data.put("checks", checks);
            journal.record("playbook.verification", data);
            if (held) {
                finish(run, RunResult.Outcome.VERIFIED, "the verification held: " + String.join("; ",
                        checks.stream().map(ConditionCheck::condition).toList()));
            } else {
                rollback(run, "the verification did not hold within " + v.within().toSeconds() + "s: " + String.join("; ", failing));
            }
            return;
        }
        scheduler.schedule(() -> workers.execute(() -> inRun(run, () -> verify(run))),
                config.verifyEvery().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void rollback(Run run, String why) {
        if (run.playbook.rollback().isEmpty()) {
            finish(run, RunResult.Outcome.FAILED, why + "; the playbook has no rollback");
            return;
        }
        Map<String, Object> data = base(run);
        data.put("reason", why);
        journal.record("playbook.rollback", data);
        Stage s = runList(run, run.playbook.rollback(), "rollback", run.rollbackSummaries);
        if (s.stopped()) {
            finish(run, RunResult.Outcome.STOPPED, why + "; rollback stopped: " + s.reason());
        } else if (!s.ok()) {
            finish(run, RunResult.Outcome.FAILED, why + "; rollback failed: " + s.reason());
        } else {
            finish(run, RunResult.Outcome.ROLLED_BACK, why + "; rolled back");
        }
    }

    /** How a list of steps went. */
    private record Stage(boolean ok, boolean stopped, String reason) {
    }

    private Stage runList(Run run, List<Step> steps, String phase, Map<Integer, String> summaries) {
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (!step.when().holds(run.values)) {
                continue;
            }
            Map<String, Object> data = base(run);
            data.put("phase", phase);
            data.put("index", i);
            data.put("step", step.name());
            data.put("executor", step.executor().wireName());
            data.put("summary", summaries.getOrDefault(i, ""));
            Optional<String> stop = killSwitch.engaged().or(() -> run.permit.mayProceed() ? Optional.empty()
                    : Optional.of("the fleet grant no longer holds (kill switch, or this agent lost its ZooKeeper session)"));
            if (stop.isPresent()) {
                data.put("status", "stopped");
                data.put("reason", stop.get());
                journal.record("playbook.step", data);
                return new Stage(false, true, stop.get());
            }
            StepExecutor executor = executors.get(step.executor());
            StepOutcome o = executor == null
                    ? StepOutcome.refused("no " + step.executor().wireName() + " executor is configured in this agent")
                    : runStep(executor, step, i, run.values, run.permit.fencingToken());
            data.put("status", o.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            data.put("output", o.output());
            data.put("error", o.error());
            data.put("elapsed_ms", o.elapsedMillis());
            data.put("retryable", o.retryable());
            journal.record("playbook.step", data);
            if (!o.succeeded()) {
                return new Stage(false, false, phase + " step " + step.name() + " " + data.get("status")
                        + (o.error().isEmpty() ? "" : ": " + o.error()));
            }
        }
        return new Stage(true, false, "");
    }

    private static StepOutcome runStep(StepExecutor executor, Step step, int index, Map<String, String> values,
                                       java.util.OptionalLong fencingToken) {
        try {
            return executor.run(step, index, values, fencingToken);
        } catch (RuntimeException e) {
            LOG.error("the {} executor threw on step {}", executor.kind().wireName(), step.name(), e);
            return StepOutcome.failed("", "the executor failed: " + e, 0, false);
        }
    }

    private void finish(Run run, RunResult.Outcome outcome, String reason) {
        try {
            Map<String, Object> data = base(run);
            data.put("outcome", outcome.wireName());
            data.put("reason", reason);
            journal.record("playbook.outcome", data);
            boolean judged = outcome == RunResult.Outcome.VERIFIED || outcome == RunResult.Outcome.FAILED
                    || outcome == RunResult.Outcome.ROLLED_BACK;
            if (judged && run.playbook.risk() != Risk.NONE) {
                boolean verified = outcome == RunResult.Outcome.VERIFIED;
                trackRecords.record(run.decision.signature(), run.playbook.id(), verified);
                if (circuits.record(run.playbook.id(), verified)) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("playbook", run.playbook.id());
                    c.put("state", "open");
                    c.put("reason", circuits.threshold() + " failed verifications in a row; the last: " + reason);
                    journal.record("playbook.circuit", c);
                }
            }
        } finally {
            end(run, new RunResult(run.runId, run.decision.id(), run.playbook.id(), outcome, reason));
        }
    }

    private List<ConditionCheck> check(List<Condition> conditions, Map<String, String> values, long notBefore) {
        if (conditions.isEmpty()) {
            return List.of();
        }
        try {
            return facts.check(conditions, values, notBefore);
        } catch (RuntimeException e) {
            // facts that cannot be read verify nothing and permit nothing
            return conditions.stream().map(c -> new ConditionCheck(c.toString(), false, "facts unavailable: " + e.getMessage())).toList();
        }
    }

    private RunResult refuse(Decision d, String runId, String guard, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("run", runId);
        data.put("decision", d.id());
        data.put("playbook", d.playbook());
        data.put("signature", d.signature());
        data.put("target", d.target().labels());
        data.put("guard", guard);
        data.put("reason", reason);
        try {
            journal.record("playbook.refused", data);
        } catch (RuntimeException e) {
            LOG.error("cannot journal the refusal of {}: {}", runId, reason, e);
        }
        return new RunResult(runId, d.id(), d.playbook(), RunResult.Outcome.REFUSED, guard + ": " + reason);
    }

    /** Runs the first task of a run; anything it throws before admission ends it as failed. */
    private void guarded(CompletableFuture<RunResult> result, Decision d, String runId, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("run {} of {} stopped: {}", runId, d.playbook(), e.toString(), e);
            result.complete(new RunResult(runId, d.id(), d.playbook(), RunResult.Outcome.FAILED,
                    "the run stopped: " + e.getMessage()));
        }
    }

    private static Map<String, Object> base(Run run) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("run", run.runId);
        data.put("decision", run.decision.id());
        data.put("playbook", run.playbook.id());
        data.put("signature", run.decision.signature());
        data.put("target", run.decision.target().labels());
        return data;
    }

    private static String plain(String summary) {
        return summary.endsWith(" (dry-run)") ? summary.substring(0, summary.length() - " (dry-run)".length()) : summary;
    }

    // ---------------------------------------------------------------------------------------------- governors

    /** Stops all execution at once: no run starts and no running one takes another step, until released. */
    public void engageKillSwitch(String governor, String reason) {
        killSwitch.engage(reason + " (by " + governor + ")");
        journal.record("kill-switch", Map.of("state", "engaged", "governor", governor, "reason", reason));
    }

    /** Releases the switch engaged by {@link #engageKillSwitch} or the configuration (a file flag stays in force). */
    public void releaseKillSwitch(String governor) {
        killSwitch.release();
        journal.record("kill-switch", Map.of("state", "released", "governor", governor,
                "still_engaged", killSwitch.engaged().orElse("")));
    }

    public KillSwitch killSwitch() {
        return killSwitch;
    }

    /** Closes a playbook's open circuit (a governor's act, journalled); false when it was not open. */
    public boolean closeCircuit(String playbook, String governor) {
        boolean closed = circuits.close(playbook);
        if (closed) {
            journal.record("playbook.circuit", Map.of("playbook", playbook, "state", "closed", "governor", governor));
        }
        return closed;
    }

    /** The playbooks whose circuit is open. */
    public Set<String> openCircuits() {
        return circuits.open();
    }

    public TrackRecords trackRecords() {
        return trackRecords;
    }

    /** Runs admitted and not yet ended. */
    public int inFlight() {
        return guards.inFlight();
    }

    /**
     * Stops taking runs and waits up to {@code grace} for those under way; a run cut short has its intent in the
     * journal and no outcome.
     */
    public void close(Duration grace) {
        scheduler.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
