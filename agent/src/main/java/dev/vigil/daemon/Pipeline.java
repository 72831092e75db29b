package dev.vigil.daemon;

import dev.vigil.audit.AuditSink;
import dev.vigil.condense.Condenser;
import dev.vigil.condense.FactSink;
import dev.vigil.confidence.TrackRecord;
import dev.vigil.decision.Decision;
import dev.vigil.decision.DecisionKind;
import dev.vigil.decision.DecisionStage;
import dev.vigil.decision.Gate;
import dev.vigil.engine.Engine;
import dev.vigil.engine.EngineState;
import dev.vigil.fact.Evidence;
import dev.vigil.fact.ProtectedPath;
import dev.vigil.fact.ServiceNode;
import dev.vigil.fact.Target;
import dev.vigil.fact.Telemetry;
import dev.vigil.fact.Topology;
import dev.vigil.playbook.BindResult;
import dev.vigil.playbook.DryRunPlanner;
import dev.vigil.playbook.Playbook;
import dev.vigil.playbook.PlannedStep;
import dev.vigil.playbook.ParameterBinder;
import dev.vigil.decision.Risk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.Set;

/**
 * One run of the whole pipeline, in the order of the architecture: condense → engine → scorer and gate → playbook
 * binding and guards → audit. Not thread-safe: the engine thread owns it.
 *
 * <p>Telemetry goes in with {@link #accept}; {@link #step} then moves the clock, fires the rules and returns the
 * decisions taken, each in the audit journal; nothing acts on one before it is durable.
 */
public final class Pipeline implements AutoCloseable {
    private static final long EXPIRE_EVERY_MILLIS = 60_000;
    private static final long SOURCE_FRESH_MILLIS = 600_000;
    private static final long FACTS_SUMMARY_EVERY_MILLIS = 1_000;

    /**
     * What the pipeline hands on to act for real: the track records it scores with, and where execute decisions go
     * once their plan is journalled (the playbook runner). Immutable.
     */
    public record Actions(DecisionStage.TrackRecords trackRecords, java.util.function.Consumer<Decision> execute) {
        /** No history and nothing acts: replay and dry-run. */
        public static final Actions NONE = new Actions((signature, playbook) -> TrackRecord.NONE, d -> { });
    }

    private Content content; // these two change together, only in swapContent
    private Engine engine;
    private final DecisionStage decisions;
    private final DecisionStage shadowDecisions;
    private List<Decision> lastShadow = List.of();
    private long shadowSeq;
    private final PipelineOptions options;
    private final Actions actions;
    private final AuditSink audit;
    private final Condenser condenser;
    private final Map<Class<?>, Integer> inSinceStep = new LinkedHashMap<>();
    private Set<String> evidenceKeys = new HashSet<>();
    private long nextExpire;
    private long decisionSeq;
    private long stepObservations;
    private long lastFactsSummary = Long.MIN_VALUE / 2;
    private long decisionsTaken;
    private Topology topology = Topology.EMPTY;
    private Outcomes outcomes = Outcomes.NONE;
    private DiagnosisListener diagnoses = DiagnosisListener.NONE;
    private Consumer<Decided> durable = decided -> { };
    private long acceptedSinceStep;
    private final List<Runnable> afterCommit = new ArrayList<>();

    /**
     * Where decisions go once they are durable: approve decisions with their bound parameters become approval
     * requests, notify decisions are told, cleared diagnoses cancel what still waits. Bound by the daemon; replay
     * leaves {@link #NONE}.
     */
    public interface Outcomes {
        Outcomes NONE = new Outcomes() {
        };

        default void approve(Decision d, Map<String, String> parameters) {
        }

        default void notify(Decision d) {
        }

        default void cleared(String decisionId) {
        }
    }

    /**
     * Told when a diagnosis opens and when it clears, on the engine thread: the fleet publishes this agent's open
     * diagnoses from here. Implementations hand the work on and return at once.
     */
    public interface DiagnosisListener {
        DiagnosisListener NONE = new DiagnosisListener() {
            @Override
            public void opened(String signature, Target target) {
            }

            @Override
            public void cleared(String signature, Target target) {
            }
        };

        void opened(String signature, Target target);

        void cleared(String signature, Target target);
    }

    public Pipeline(Content content, PipelineOptions options, AuditSink audit, long startMillis) {
        this(content, options, audit, startMillis, Actions.NONE);
    }

    public Pipeline(Content content, PipelineOptions options, AuditSink audit, long startMillis, Actions actions) {
        this.content = content;
        this.options = options;
        this.actions = actions;
        this.audit = audit;
        this.engine = new Engine(content.rules(), options.clock(), startMillis);
        this.condenser = new Condenser(options.condense(), content.rules().metricNames(),
                content.rules().forecastMetricNames(), options.forecast(), factsInto(() -> engine));
        this.decisions = decisionStage(content.signatures(), () -> options.decisionIdPrefix() + String.format("%06d", ++decisionSeq));
        this.shadowDecisions = decisionStage(content.shadow(),
                () -> options.decisionIdPrefix() + "shadow-" + String.format("%06d", ++shadowSeq));
        for (ProtectedPath p : options.protectedPaths()) {
            engine.upsert(p);
        }
        this.nextExpire = startMillis + EXPIRE_EVERY_MILLIS;
        audit.append("pipeline.start", Map.of("rules", content.rules().fileHashes(), "signatures", content.signatures().size(),
                "playbooks", content.playbooks().ids(), "dry_run", options.dryRun(), "content", content.source().description()));
    }

    private DecisionStage decisionStage(dev.vigil.signature.SignatureCatalog signatures, Supplier<String> ids) {
        return new DecisionStage(signatures, options.confidence(), new Gate(options.policy()),
                this::risk,
                (target, source) -> condenser.reporting(target.service(), target.host(), source.name().toLowerCase(java.util.Locale.ROOT),
                        engine.now() - SOURCE_FRESH_MILLIS),
                actions.trackRecords(),
                ids);
    }

    private Optional<Risk> risk(String playbook) {
        return content.playbooks().get(playbook).map(Playbook::risk);
    }

    /** Binds where durable decisions go (the daemon's approvals); before the first step. */
    public void outcomes(Outcomes outcomes) {
        this.outcomes = outcomes;
    }

    /**
     * The decisions of one step, told once durable.
     *
     * @param stepMillis   the step's time
     * @param observations observations taken in since the step before
     */
    public record Decided(long stepMillis, long observations, List<Decision> decisions) {
    }

    /**
     * Binds who hears of each step's decisions once they are durable (the daemon prints and counts them); before the
     * first step. Runs wherever the audit sink commits: on its commit thread in the daemon.
     */
    public void whenDurable(Consumer<Decided> listener) {
        this.durable = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Binds who hears of diagnoses opening and clearing (the fleet); before the first step. */
    public void diagnoses(DiagnosisListener listener) {
        this.diagnoses = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Sets what depends on what (scenario header or config). */
    public void topology(Topology topology) {
        this.topology = topology;
        condenser.topology(topology);
        for (ServiceNode s : topology.services()) {
            engine.upsert(s);
        }
        audit.append("topology", Map.of("services", topology.services()));
    }

    /** Takes in one observation; nothing is decided until the next {@link #step}. */
    public void accept(Telemetry t) {
        condenser.accept(t);
        stepObservations++;
        acceptedSinceStep++;
        inSinceStep.merge(t.getClass(), 1, Integer::sum);
    }

    /**
     * Moves the engine clock to {@code nowMillis}, fires the rules to quiescence and decides. The decisions returned are
     * in the audit journal; whatever acts on them or tells of them (playbook runs, approval requests, notifications,
     * {@link #whenDurable}) runs once they are durable, through {@link AuditSink#commitThen}: at once with a plain sink
     * (replay, tests), on the commit thread with {@link dev.vigil.audit.BackgroundCommits} (the daemon).
     */
    public List<Decision> step(long nowMillis) {
        condenser.flush();
        engine.advanceTo(nowMillis);
        if (nowMillis >= nextExpire) {
            condenser.expire(nowMillis);
            nextExpire = nowMillis + EXPIRE_EVERY_MILLIS;
        }
        engine.fire();
        EngineState state = engine.state();
        // a summary of what came in, at most once a second: the engine may step every few milliseconds under load
        if (stepObservations > 0 && nowMillis - lastFactsSummary >= FACTS_SUMMARY_EVERY_MILLIS) {
            lastFactsSummary = nowMillis;
            Map<String, Integer> byKind = new LinkedHashMap<>();
            inSinceStep.forEach((kind, n) -> byKind.put(kind.getSimpleName(), n));
            audit.append("facts", Map.of("observations", byKind));
            inSinceStep.clear();
            stepObservations = 0;
        }
        auditEvidenceChanges(state.evidence());
        DecisionStage.Step step = decisions.step(nowMillis, state.evidence(), state.contraindications());
        for (DecisionStage.Opened o : step.opened()) {
            audit.append("diagnosis.opened", Map.of("signature", o.signature(), "target", o.target().labels()));
            diagnoses.opened(o.signature(), o.target()); // before any decision on it acts, so the fleet sees it first
        }
        List<Decision> out = new ArrayList<>();
        for (Decision d : step.decisions()) {
            out.add(throughPlaybookGuards(d));
        }
        for (DecisionStage.Cleared c : step.cleared()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("signature", c.signature());
            data.put("target", c.target().labels());
            data.put("decision", c.decisionId());
            audit.append("diagnosis.cleared", data);
            diagnoses.cleared(c.signature(), c.target());
            if (c.decisionId() != null) {
                afterCommit.add(() -> outcomes.cleared(c.decisionId()));
            }
        }
        for (Decision d : out) {
            if (d.kind() == DecisionKind.NOTIFY) {
                afterCommit.add(() -> outcomes.notify(d));
            }
        }
        lastShadow = ShadowDecisions.record(shadowDecisions.step(nowMillis, state.evidence(), state.contraindications()), audit);
        if (!out.isEmpty()) {
            Decided decided = new Decided(nowMillis, acceptedSinceStep, List.copyOf(out));
            afterCommit.add(() -> durable.accept(decided));
        }
        acceptedSinceStep = 0;
        if (!out.isEmpty() || !lastShadow.isEmpty() || !afterCommit.isEmpty()) {
            // a decision counts as made only once its record is durable: what acts on it or tells of it waits for that
            List<Runnable> hooks = List.copyOf(afterCommit);
            afterCommit.clear();
            audit.commitThen(() -> hooks.forEach(Runnable::run));
        }
        decisionsTaken += out.size();
        return out;
    }

    private void auditEvidenceChanges(List<Evidence> evidence) {
        Set<String> now = new HashSet<>();
        for (Evidence e : evidence) {
            String key = e.signature() + "|" + e.key() + "|" + e.target();
            now.add(key);
            if (!evidenceKeys.contains(key)) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("signature", e.signature());
                data.put("key", e.key());
                data.put("target", e.target().labels());
                data.put("detail", e.detail());
                audit.append("evidence.holds", data);
            }
        }
        for (String gone : evidenceKeys) {
            if (!now.contains(gone)) {
                audit.append("evidence.cleared", Map.of("evidence", gone));
            }
        }
        evidenceKeys = now;
    }

    /** Binds and validates the playbook's parameters; plans the steps (dry-run) of an execute. */
    private Decision throughPlaybookGuards(Decision d) {
        Decision result = d;
        if (d.kind().acts()) {
            Optional<Playbook> pb = content.playbooks().get(d.playbook());
            if (pb.isEmpty()) {
                result = d.suppressed("playbook " + d.playbook() + " is not loaded");
            } else {
                BindResult bound = ParameterBinder.bind(pb.get(), d.target(), d.bindings());
                if (bound instanceof BindResult.Refused refused) {
                    result = d.suppressed("playbook parameters refused: " + String.join("; ", refused.reasons()));
                    audit.append("playbook.refused", Map.of("decision", d.id(), "playbook", d.playbook(), "reasons", refused.reasons()));
                } else if (bound instanceof BindResult.Bound ok) {
                    auditDecision(result);
                    if (d.kind() == DecisionKind.EXECUTE) {
                        List<PlannedStep> plan = DryRunPlanner.plan(pb.get(), ok.values());
                        Map<String, Object> data = new LinkedHashMap<>();
                        data.put("decision", d.id());
                        data.put("playbook", d.playbook());
                        data.put("parameters", ok.values());
                        data.put("dry_run", true);
                        data.put("steps", plan);
                        audit.append("playbook.dry-run", data);
                        if (!options.dryRun()) {
                            Decision act = result;
                            afterCommit.add(() -> actions.execute().accept(act)); // durable before anything acts on it
                        }
                    } else {
                        audit.append("approval.pending", pendingRecord(d, ok.values()));
                        afterCommit.add(() -> outcomes.approve(d, ok.values()));
                    }
                    return result;
                }
            }
        }
        auditDecision(result);
        return result;
    }

    private void auditDecision(Decision d) {
        Map<String, Object> data = decisionRecord(d);
        List<ServiceNode> around = neighbourhood(d.target().service());
        if (!around.isEmpty()) {
            data.put("topology", around);
        }
        audit.append("decision", data);
    }

    /**
     * The condense stage's facts, kept in the session of the engine {@code current} gives at each call (a content swap
     * replaces the pipeline's engine); the two stages meet only here.
     */
    public static FactSink factsInto(Supplier<Engine> current) {
        return new FactSink() {
            @Override
            public void upsert(Object fact) {
                current.get().upsert(fact);
            }

            @Override
            public void replace(Object previous, Object next) {
                current.get().replace(previous, next);
            }

            @Override
            public void insertEvent(Object event) {
                current.get().insertEvent(event);
            }

            @Override
            public void delete(Object fact) {
                current.get().delete(fact);
            }
        };
    }

    /** An approval request opened for {@code d} with its bound parameters, as the journal records it. */
    static Map<String, Object> pendingRecord(Decision d, Map<String, String> parameters) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("decision", d.id());
        data.put("playbook", d.playbook());
        data.put("parameters", parameters);
        data.put("approvals_required", d.approvalsRequired());
        return data;
    }

    /** A decision as the journal records it (the daemon's fleet decisions too, so readers see one shape). */
    static Map<String, Object> decisionRecord(Decision d) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", d.id());
        data.put("signature", d.signature());
        data.put("target", d.target().labels());
        data.put("confidence", d.confidence());
        data.put("decision", d.kind().wireName());
        data.put("playbook", d.playbook());
        data.put("reasons", d.reasons());
        data.put("evidence", d.evidence());
        return data;
    }

    /** The part of the topology a decision on {@code service} relied on: the service, what it needs, what needs it. */
    private List<ServiceNode> neighbourhood(String service) {
        Optional<ServiceNode> self = topology.service(service);
        if (self.isEmpty()) {
            return List.of();
        }
        List<ServiceNode> out = new ArrayList<>();
        out.add(self.get());
        for (ServiceNode s : topology.services()) {
            if (self.get().dependsOn(s.name()) || s.dependsOn(service)) {
                out.add(s);
            }
        }
        return out;
    }

    /** True when no playbook acts for real. */
    public boolean dryRun() {
        return options.dryRun();
    }

    /**
     * Puts reloaded content in place, between two steps, keeping everything observed: the condenser's state facts
     * and the discrete events move into a session on the new rules (which derive their conclusions again), the
     * condenser keeps only the metric names the new rules use, and open diagnoses stay open (see
     * {@link DecisionStage#signatures}). Engine thread only; the caller journals the reload.
     */
    SwapOutcome swapContent(Content next) {
        long now = engine.now();
        Engine old = engine;
        engine = old.carryOver(next.rules()); // when this throws, nothing has changed yet
        content = next;
        old.close();
        condenser.wantedMetrics(next.rules().metricNames()); // series no new rule reads are dropped
        condenser.forecastMetrics(next.rules().forecastMetricNames()); // detectors still read keep their state
        long carried = engine.factCount() - 1; // all but the clock fact (conclusions come back at the fire below)
        List<DecisionStage.Cleared> closed = decisions.signatures(next.signatures(), now);
        shadowDecisions.signatures(next.shadow(), now);
        for (DecisionStage.Cleared c : closed) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("signature", c.signature());
            data.put("target", c.target().labels());
            data.put("decision", c.decisionId());
            data.put("reason", "signature removed by a content reload");
            audit.append("diagnosis.cleared", data);
            diagnoses.cleared(c.signature(), c.target());
        }
        engine.fire();
        return new SwapOutcome(carried, decisions.openCount(),
                closed.stream().map(c -> c.signature() + " " + c.target().labels()).toList());
    }

    /** What the signatures in shadow decided in the last step: journalled as kind {@code shadow}, never acted on. */
    public List<Decision> shadowDecisions() {
        return lastShadow;
    }

    /** The content the pipeline runs on now. */
    public Content content() {
        return content;
    }

    public Condenser condenser() {
        return condenser;
    }

    public Engine engine() {
        return engine;
    }

    public long decisionsTaken() {
        return decisionsTaken;
    }

    public int openDiagnoses() {
        return decisions.openCount();
    }

    @Override
    public void close() {
        engine.close();
    }
}
