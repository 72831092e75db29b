package dev.vigil.daemon;

import dev.vigil.condense.TopologyLearner;
import dev.vigil.decision.Decision;
import dev.vigil.fact.SpanRecord;
import dev.vigil.fact.Topology;
import dev.vigil.ingest.IngestQueue;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine thread: the only thread that touches the pipeline (and so the Drools session). Once a second, and as soon
 * as new observations are queued (the queue wakes it: it never polls), it drains the ingest queue into the pipeline,
 * refreshes the learned topology, fires the rules and decides, and now and then prints a short live status. Each
 * decision is counted, printed and traced once durable, on the journal's commit thread. Start and close are
 * thread-safe; the getters are read from other threads (metrics, API) and are snapshots.
 */
public final class EngineLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineLoop.class);
    private static final long TICK_MILLIS = 1000;
    /**
     * A cycle starts as soon as observations arrive, but no sooner than this after the last cycle began: under load
     * the arrivals of one interval are taken in one cycle, so the batches stay large. At half the maximum remote_write
     * load a cycle takes ~1.4 ms, so this wait is most of a decision's latency: 5 ms against 10 ms took the p50 from
     * 13 to 9 ms with no throughput change beyond the runs' spread (agent/src/bench/RESULTS.md).
     */
    private static final long MIN_CYCLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** How often the idle engine checks whether a second has passed without a cycle. */
    private static final long IDLE_CHECK_MILLIS = 250;
    private static final long TOPOLOGY_EVERY_MILLIS = 10_000;
    private static final long MAX_DRAIN_PER_TICK = 2_000_000;
    private static final AttributeKey<String> SIGNATURE = AttributeKey.stringKey("vigil.signature");
    private static final AttributeKey<String> TARGET = AttributeKey.stringKey("vigil.target");
    private static final AttributeKey<String> KIND = AttributeKey.stringKey("vigil.decision");
    private static final AttributeKey<String> PLAYBOOK = AttributeKey.stringKey("vigil.playbook");
    private static final AttributeKey<Double> CONFIDENCE = AttributeKey.doubleKey("vigil.confidence");
    private static final AttributeKey<Long> OBSERVATIONS = AttributeKey.longKey("vigil.observations");

    private final Pipeline pipeline;
    private final IngestQueue queue;
    private final TopologyLearner learner;
    private final Tracer tracer;
    private final SelfMetrics metrics;
    private final PrintWriter out;
    private final InstantSource clock;
    private final Duration statusEvery;
    private final Supplier<String> ingestSummary;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "vigil-engine"));
    private long nextTopology;
    private long lastStatus;
    private volatile long lastCycleNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
    /** A cycle for arrived work is scheduled and has not started draining yet: arrivals need not schedule another. */
    private final AtomicBoolean arrivalCycleScheduled = new AtomicBoolean();
    private volatile Topology topology = Topology.EMPTY;
    private volatile long ticks;
    private volatile long lastTickMillis;
    private volatile long decisions;

    EngineLoop(Pipeline pipeline, IngestQueue queue, TopologyLearner learner, Tracer tracer, SelfMetrics metrics,
               PrintWriter out, InstantSource clock, Duration statusEvery, Supplier<String> ingestSummary) {
        this.pipeline = pipeline;
        this.queue = queue;
        this.learner = learner;
        this.tracer = tracer;
        this.metrics = metrics;
        this.out = out;
        this.clock = clock;
        this.statusEvery = statusEvery;
        this.ingestSummary = ingestSummary;
    }

    void start() {
        pipeline.whenDurable(this::decided);
        queue.onArrival(this::workArrived);
        thread.scheduleWithFixedDelay(this::idleCheck, 0, IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** On a receiver thread, after it queued a batch: schedules one cycle, unless one is already on its way. */
    private void workArrived() {
        if (arrivalCycleScheduled.compareAndSet(false, true)) {
            long wait = Math.max(0, MIN_CYCLE_NANOS - (System.nanoTime() - lastCycleNanos));
            try {
                thread.schedule(this::arrivalCycle, wait, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                arrivalCycleScheduled.set(false); // the loop is closing: its last cycle drains the queue
            }
        }
    }

    private void arrivalCycle() {
        // cleared before draining: what arrives from now on is not in this cycle and schedules the next one
        arrivalCycleScheduled.set(false);
        if (queue.depth() > 0) {
            tick();
        }
        if (queue.depth() > 0) {
            workArrived(); // more than one cycle drains: go on without waiting for the next arrival
        }
    }

    /** A cycle at least once a second even without observations: time-based rules and status lines need it. */
    private void idleCheck() {
        if (System.nanoTime() - lastCycleNanos >= TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS)) {
            tick();
        }
    }

    private void tick() {
        lastCycleNanos = System.nanoTime();
        try {
            long start = clock.millis();
            queue.drain(t -> {
                if (t instanceof SpanRecord span && learner.observe(span)) {
                    nextTopology = start; // a new edge is used at once; expiry is checked every few seconds
                }
                pipeline.accept(t);
            }, MAX_DRAIN_PER_TICK);
            if (start >= nextTopology) {
                refreshTopology(start);
                nextTopology = start + TOPOLOGY_EVERY_MILLIS;
            }
            long t0 = System.nanoTime();
            pipeline.step(start); // its decisions are told in decided(), once durable
            metrics.engineStep(System.nanoTime() - t0, pipeline);
            if (start - lastStatus >= statusEvery.toMillis()) {
                lastStatus = start;
                var s = pipeline.condenser().stats();
                out.printf(Locale.ROOT, "status: %s; %d series kept, %d diagnoses open, %d decisions, %d facts in session%n",
                        ingestSummary.get(), s.seriesActive(), pipeline.openDiagnoses(), decisions, pipeline.engine().factCount());
            }
            out.flush();
            lastTickMillis = clock.millis();
            ticks++;
        } catch (RuntimeException e) {
            // one bad cycle must not stop the agent: log it and go on with the next
            LOG.error("engine cycle failed; the agent keeps running", e);
        }
    }

    private void refreshTopology(long now) {
        Topology current = learner.current(now);
        if (!current.equals(topology)) {
            pipeline.topology(current);
            topology = current;
        }
    }

    /** On the journal's commit thread, once a step's decisions are durable: counted, printed and traced. */
    private void decided(Pipeline.Decided step) {
        trace(step.stepMillis(), step.observations(), step.decisions());
        for (Decision d : step.decisions()) {
            decisions++;
            metrics.decision(d.kind().wireName());
            out.printf(Locale.ROOT, "decision %s: %s on %s, confidence %.2f -> %s%s%n  reasons: %s%n", d.id(),
                    d.signature(), d.target().labels(), d.confidence(), d.kind().wireName(),
                    d.playbook() == null ? "" : " " + d.playbook() + (pipeline.dryRun() ? " (dry-run)" : ""),
                    String.join("; ", d.reasons()));
        }
        out.flush();
    }

    /** One trace per step that decided: the step, and a child span per decision with its outcome. */
    private void trace(long startMillis, long observations, List<Decision> taken) {
        Span step = tracer.spanBuilder("vigil.pipeline.step").setStartTimestamp(startMillis, TimeUnit.MILLISECONDS)
                .setAttribute(OBSERVATIONS, observations).startSpan();
        try {
            for (Decision d : taken) {
                Span span = tracer.spanBuilder("vigil.decision").setParent(Context.current().with(step))
                        .setAttribute(SIGNATURE, d.signature()).setAttribute(TARGET, d.target().toString())
                        .setAttribute(KIND, d.kind().wireName()).setAttribute(CONFIDENCE, d.confidence())
                        .setAttribute(PLAYBOOK, d.playbook() == null ? "" : d.playbook()).startSpan();
                d.reasons().forEach(span::addEvent);
                span.end();
            }
        } finally {
            step.end();
        }
    }

    /**
     * Runs {@code question} on the engine thread between cycles and returns its answer (tests and the API: never
     * touch the pipeline from another thread).
     */
    public <T> T query(java.util.function.Function<Pipeline, T> question) {
        try {
            return thread.submit(() -> question.apply(pipeline)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while querying the engine", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("engine query failed: " + e, e);
        }
    }

    /** The topology in use: configured, plus the edges learned from traffic. */
    public Topology topology() {
        return topology;
    }

    public long ticks() {
        return ticks;
    }

    /** When the engine last completed a cycle (epoch ms), for the health check. */
    public long lastTickMillis() {
        return lastTickMillis;
    }

    public long decisions() {
        return decisions;
    }

    /**
     * Stops the engine thread after one last cycle, so every observation the receivers accepted reaches the
     * pipeline and its decisions the journal; then closes the session.
     */
    @Override
    public void close() {
        try {
            thread.submit(this::tick).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("the last engine cycle did not complete: {}", e.toString());
        }
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pipeline.close();
    }
}
