package dev.vigil.daemon;

import dev.vigil.ingest.IngestQueue;
import dev.vigil.ingest.IngestStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Vigil's own metrics, served on {@code /metrics} in the Prometheus text format: ingest by receiver, refusals by
 * reason, queue depth, rule firings, decisions by kind, engine cycle latency, session size, and the JVM. Thread-safe.
 */
final class SelfMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final IngestStats stats;
    private final Set<IngestStats.Key> registered = ConcurrentHashMap.newKeySet();
    private final Set<String> skippedRegistered = ConcurrentHashMap.newKeySet();
    private final Timer engineStep;
    private volatile long firings;
    private volatile long factsInSession;
    private volatile long seriesActive;
    private volatile long seriesForecast;
    private volatile long diagnosesOpen;

    SelfMetrics(IngestQueue queue, IngestStats stats) {
        this.stats = stats;
        Gauge.builder("vigil.ingest.queue.depth", queue, IngestQueue::depth)
                .description("observations waiting for the engine").register(registry);
        Gauge.builder("vigil.ingest.queue.capacity", queue, IngestQueue::capacity)
                .description("observations the queue holds before receivers answer 'retry later'").register(registry);
        FunctionCounter.builder("vigil.rule.firings", this, m -> m.firings)
                .description("rule activations fired by the engine").register(registry);
        Gauge.builder("vigil.engine.facts", this, m -> m.factsInSession).description("facts in the Drools session").register(registry);
        Gauge.builder("vigil.condense.series", this, m -> m.seriesActive).description("series kept in condensed state").register(registry);
        Gauge.builder("vigil.condense.forecast.series", this, m -> m.seriesForecast)
                .description("series the online detectors forecast (bounded by forecast.max_series)").register(registry);
        Gauge.builder("vigil.diagnoses.open", this, m -> m.diagnosesOpen).description("diagnoses currently open").register(registry);
        engineStep = Timer.builder("vigil.engine.step").description("one engine cycle: condense flush, rules, decisions, journal")
                .publishPercentiles(0.5, 0.99).register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Called by the engine thread after each cycle. */
    void engineStep(long nanos, Pipeline pipeline) {
        engineStep.record(nanos, TimeUnit.NANOSECONDS);
        firings = pipeline.engine().firings();
        factsInSession = pipeline.engine().factCount();
        seriesActive = pipeline.condenser().stats().seriesActive();
        seriesForecast = pipeline.condenser().forecastSeries();
        diagnosesOpen = pipeline.openDiagnoses();
    }

    void decision(String kind) {
        Counter.builder("vigil.decisions").description("decisions taken, by kind").tag("kind", kind).register(registry).increment();
    }

    /**
     * The fleet's meters: grants, refusals by reason (kill_switch, shared_cause, held, blast_radius, no_quorum, …),
     * fleet incidents this agent raised, the holds in place, the coordination session's state and whether this agent
     * leads the fleet correlator.
     */
    FleetLink.Meters fleetMeters() {
        Counter grants = Counter.builder("vigil.fleet.grants").description("fleet grants this agent received").register(registry);
        Counter incidents = Counter.builder("vigil.fleet.incidents")
                .description("fleet incidents this agent recorded and told (shared causes, dependency outages)").register(registry);
        return new FleetLink.Meters() {
            @Override
            public void granted() {
                grants.increment();
            }

            @Override
            public void refused(String reason) {
                Counter.builder("vigil.fleet.refusals").description("fleet grants refused, by reason")
                        .tag("reason", reason).register(registry).increment();
            }

            @Override
            public void incident() {
                incidents.increment();
            }
        };
    }

    /** Gauges read from the fleet link at each scrape (none of them calls ZooKeeper). */
    void fleet(FleetLink link) {
        Gauge.builder("vigil.fleet.holds", link, FleetLink::holds)
                .description("holds the fleet correlator has in place, as last read").register(registry);
        Gauge.builder("vigil.fleet.leader", link, l -> l.leads() ? 1 : 0)
                .description("1 while this agent is the elected fleet correlator").register(registry);
        for (String state : java.util.List.of("connecting", "connected", "suspended", "lost", "read_only", "local")) {
            Gauge.builder("vigil.fleet.session", link, l -> l.session().equals(state) ? 1 : 0)
                    .description("1 for the coordination session's current state").tag("state", state).register(registry);
        }
    }

    /** The exposition, with a counter for every receiver and refusal reason seen so far. */
    String scrape() {
        stats.acceptedSnapshot().keySet().forEach(k -> {
            if (registered.add(k)) {
                FunctionCounter.builder("vigil.ingest.accepted", stats, s -> s.accepted(k.source()))
                        .description("observations accepted into the engine's queue").tag("source", k.source()).register(registry);
            }
        });
        stats.rejectedSnapshot().keySet().forEach(k -> {
            if (registered.add(k)) {
                FunctionCounter.builder("vigil.ingest.rejected", stats, s -> s.rejected(k.source(), k.reason()))
                        .description("observations (or whole requests, for request-level reasons) refused, by reason")
                        .tag("source", k.source()).tag("reason", k.reason()).register(registry);
            }
        });
        stats.skippedSnapshot().keySet().forEach(source -> {
            if (skippedRegistered.add(source)) {
                FunctionCounter.builder("vigil.ingest.skipped", stats, s -> s.skipped(source))
                        .description("samples of metrics no loaded rule reads, counted and skipped as they are decoded")
                        .tag("source", source).register(registry);
            }
        });
        return registry.scrape();
    }
}
