package dev.vigil.daemon;

import dev.vigil.audit.AuditJournal;
import dev.vigil.decision.Decision;
import dev.vigil.fact.MetricSample;
import dev.vigil.ingest.HostProbe;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: probes the local host on a fixed interval and drives the pipeline on one engine thread
 * (the only thread that touches the session), printing decisions and a short live status. Thread-safe to start and
 * close from any thread.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final Pipeline pipeline;
    private final AuditJournal journal;
    private final HostProbe probe;
    private final Duration interval;
    private final Duration statusEvery;
    private final PrintWriter out;
    private final InstantSource clock;
    private final ScheduledExecutorService engineThread =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "vigil-engine"));
    private final AtomicLong ticks = new AtomicLong();
    private long lastStatus;
    private long decisions;

    public Agent(Pipeline pipeline, AuditJournal journal, HostProbe probe, Duration interval, Duration statusEvery,
                 PrintWriter out, InstantSource clock) {
        this.pipeline = pipeline;
        this.journal = journal;
        this.probe = probe;
        this.interval = interval;
        this.statusEvery = statusEvery;
        this.out = out;
        this.clock = clock;
    }

    public void start() {
        engineThread.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How many probe cycles have completed. */
    public long ticks() {
        return ticks.get();
    }

    private void tick() {
        try {
            List<String> errors = new ArrayList<>();
            List<MetricSample> samples = probe.collect(errors);
            for (String e : errors) {
                LOG.warn("host probe: {}", e);
            }
            samples.forEach(pipeline::accept);
            long now = clock.millis();
            for (Decision d : pipeline.step(now)) {
                decisions++;
                out.printf(Locale.ROOT, "decision %s: %s on %s, confidence %.2f -> %s%s%n  reasons: %s%n", d.id(),
                        d.signature(), d.target().labels(), d.confidence(), d.kind().wireName(),
                        d.playbook() == null ? "" : " " + d.playbook() + " (dry-run)", String.join("; ", d.reasons()));
            }
            if (now - lastStatus >= statusEvery.toMillis()) {
                lastStatus = now;
                var s = pipeline.condenser().stats();
                out.printf(Locale.ROOT, "status: %d facts in, %d series kept, %d diagnoses open, %d decisions, %d facts in session%n",
                        s.observationsIn(), s.seriesActive(), pipeline.openDiagnoses(), decisions, pipeline.engine().factCount());
            }
            out.flush();
            ticks.incrementAndGet();
        } catch (RuntimeException e) {
            // one bad cycle must not stop the agent: log it and go on with the next
            LOG.error("engine cycle failed; the agent keeps running", e);
        }
    }

    /** Stops the engine thread, then closes the session and makes the journal durable. */
    @Override
    public void close() {
        engineThread.shutdown();
        try {
            if (!engineThread.awaitTermination(10, TimeUnit.SECONDS)) {
                engineThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pipeline.close();
        journal.commit();
        journal.close();
    }
}
