package dev.vigil.condense;

import dev.vigil.fact.Alert;
import dev.vigil.fact.Labels;
import dev.vigil.fact.ChangeEvent;
import dev.vigil.fact.Forecast;
import dev.vigil.fact.LogRecord;
import dev.vigil.fact.LogPatternRate;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.fact.SeriesState;
import dev.vigil.fact.SpanKind;
import dev.vigil.fact.SpanRecord;
import dev.vigil.fact.SpanStats;
import dev.vigil.fact.SpanStatus;
import dev.vigil.fact.Telemetry;
import dev.vigil.fact.Topology;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Folds raw telemetry into bounded state facts and hands changed ones to the engine in batches.
 * Not thread-safe: runs on the engine thread.
 *
 * <p>Implementation note: each state is updated in place and marked dirty; {@link #flush()} passes every dirty state
 * to the sink once, however many samples touched it, so the session sees one update per state per batch.
 * Metric names no loaded rule refers to are counted and dropped here, before any state is made.
 *
 * <p>Series whose metric names some rule reads as a {@link Forecast} also get online detectors
 * ({@link SeriesForecast}); their forecast fact is replaced, not updated in place (it is an immutable record), each
 * time a step of the series closes, and flushed with the other states.
 */
public final class Condenser {
    private final CondenseConfig config;
    private final FactSink sink;
    private final TargetResolver targets = new TargetResolver();
    private final SeriesIndex series = new SeriesIndex();
    private final Map<String, LinkedHashMap<String, LogPatternRate>> templatesByService = new HashMap<>();
    private final Map<String, SpanStats> spans = new HashMap<>();
    private final Set<Object> dirty = Collections.newSetFromMap(new IdentityHashMap<>());
    // when each log pattern and span state was last touched; a series' is the time of its newest sample
    private final Map<Object, Long> lastTouched = new IdentityHashMap<>();
    private final Map<String, long[]> dropped = new HashMap<>(); // a counter per reason: counted per sample, read rarely
    private final Map<SourceKey, Long> sourceSeen = new HashMap<>();
    private volatile Set<String> wantedMetrics;
    private final ForecastConfig forecastConfig;
    private Set<String> forecastMetrics;
    private final Map<SeriesState, SeriesForecast> detectors = new IdentityHashMap<>();
    private final Map<SeriesState, Forecast> forecasts = new IdentityHashMap<>();
    private final Set<SeriesState> forecastDirty = Collections.newSetFromMap(new IdentityHashMap<>());
    private long metricsIn;
    private long logsIn;
    private long spansIn;
    private long eventsIn;
    private long templates;

    /** A condenser that runs no detectors. */
    public Condenser(CondenseConfig config, Set<String> wantedMetrics, FactSink sink) {
        this(config, wantedMetrics, Set.of(), ForecastConfig.defaults(), sink);
    }

    /**
     * @param wantedMetrics   the metric names some rule refers to; samples of others are dropped
     * @param forecastMetrics the metric names some rule reads a {@link Forecast} of; their series get detectors
     */
    public Condenser(CondenseConfig config, Set<String> wantedMetrics, Set<String> forecastMetrics,
                     ForecastConfig forecastConfig, FactSink sink) {
        this.config = config;
        this.wantedMetrics = Set.copyOf(wantedMetrics);
        this.forecastMetrics = Set.copyOf(forecastMetrics);
        this.forecastConfig = forecastConfig;
        this.sink = sink;
    }

    /** Replaces the metric names to keep (after a rule reload); series of names no longer wanted are dropped. */
    public void wantedMetrics(Set<String> names) {
        this.wantedMetrics = Set.copyOf(names);
        series.removeIf(s -> !wantedMetrics.contains(s.name()), this::forget);
    }

    /**
     * Replaces the metric names to forecast (after a rule reload). Detectors of names still forecast keep their state;
     * those of names no rule forecasts any more are dropped with their forecast fact.
     */
    public void forecastMetrics(Set<String> names) {
        this.forecastMetrics = Set.copyOf(names);
        for (SeriesState s : List.copyOf(detectors.keySet())) {
            if (!forecastMetrics.contains(s.name())) {
                forgetForecast(s);
            }
        }
    }

    /** The topology used to name the service of a host when a series carries no service label. */
    public void topology(Topology topology) {
        targets.topology(topology);
    }

    /** Takes in one observation. */
    public void accept(Telemetry t) {
        if (t instanceof MetricSample m) {
            metric(m);
        } else if (t instanceof LogRecord l) {
            log(l);
        } else if (t instanceof SpanRecord s) {
            span(s);
        } else {
            event(t); // ChangeEvent or Alert: discrete events the session expires itself
        }
    }

    private void metric(MetricSample m) {
        metricsIn++;
        if (!wantedMetrics.contains(m.name())) {
            drop("metric_not_referenced");
            return;
        }
        if (m.labels().size() > config.maxLabelsPerSeries()) {
            drop("too_many_labels");
            return;
        }
        if (!Double.isFinite(m.value())) {
            drop("non_finite_value");
            return;
        }
        SeriesState s = series.get(m.name(), m.labels());
        if (s == null) {
            if (series.size() >= config.maxSeries()) {
                drop("series_limit");
                return;
            }
            // the kept copy shares its strings with every other series of the same host, job or name
            Labels labels = m.labels().interned();
            String name = m.name().intern();
            String host = targets.host(labels).intern(); // often cut out of `instance`: a new string per series
            s = new SeriesState(name, labels, targets.service(labels, host).intern(), host,
                    m.type() == MetricType.COUNTER, config.seriesRetentionMillis(), config.seriesCapacity());
            series.add(s);
        }
        if (s.add(m.timeMillis(), m.value())) {
            dirty.add(s); // no lastTouched entry: a series' last touch is its newest sample, s.time()
            if (forecastMetrics.contains(m.name())) {
                forecast(s, m.timeMillis(), m.value());
            }
        } else {
            drop("out_of_order_sample");
        }
    }

    private void forecast(SeriesState s, long time, double value) {
        SeriesForecast d = detectors.get(s);
        if (d == null) {
            if (detectors.size() >= forecastConfig.maxSeries()) {
                drop("forecast_series_limit");
                return;
            }
            d = new SeriesForecast(forecastConfig, s.isCounter());
            detectors.put(s, d);
        }
        if (d.add(time, value)) {
            forecastDirty.add(s);
        }
    }

    private void forgetForecast(SeriesState s) {
        detectors.remove(s);
        forecastDirty.remove(s);
        Forecast f = forecasts.remove(s);
        if (f != null) {
            sink.delete(f);
        }
    }

    private void log(LogRecord l) {
        logsIn++;
        String body = LogTemplates.cut(l.body(), config.maxLogBodyChars());
        // receivers template records before queueing (BeforeQueue.prepare); replays and tests hand in raw ones
        String template = l.template() != null ? l.template() : LogTemplates.template(body);
        String service = l.service().isEmpty() ? targets.serviceOfHost(l.host()) : l.service();
        LinkedHashMap<String, LogPatternRate> byKey =
                templatesByService.computeIfAbsent(service, k -> new LinkedHashMap<>(16, 0.75f, true));
        String key = l.host() + '\u0002' + template;
        LogPatternRate rate = byKey.get(key);
        if (rate == null) {
            if (byKey.size() >= config.maxTemplatesPerService()) {
                Iterator<LogPatternRate> eldest = byKey.values().iterator();
                LogPatternRate evicted = eldest.next();
                eldest.remove();
                forget(evicted);
                templates--;
                drop("template_evicted");
            }
            String example = body.length() > 200 ? body.substring(0, 200) : body;
            rate = new LogPatternRate(service, l.host(), template, example, l.severity(), config.bucketMillis(),
                    config.buckets());
            byKey.put(key, rate);
            templates++;
        }
        rate.add(l.timeMillis(), l.severity());
        touch(rate, l.timeMillis());
    }

    private void span(SpanRecord s) {
        spansIn++;
        String host = s.attribute("host.name", "host.hostname");
        host = host == null ? "" : host;
        String peer = "";
        String db = "";
        if (s.kind() == SpanKind.CLIENT || s.kind() == SpanKind.PRODUCER) {
            String p = s.attribute("peer.service", "server.address", "net.peer.name", "db.name");
            peer = p == null ? "" : p;
            String d = s.attribute("db.system.name", "db.system");
            db = d == null ? "" : d;
        }
        String key = s.service() + '\u0002' + host + '\u0002' + s.kind() + '\u0002' + peer + '\u0002' + db;
        SpanStats stats = spans.get(key);
        if (stats == null) {
            stats = new SpanStats(s.service(), host, s.kind(), peer, db, config.bucketMillis(), config.buckets());
            spans.put(key, stats);
        }
        stats.add(s.timeMillis(), s.status() == SpanStatus.ERROR, s.durationMs() >= config.slowSpanMillis());
        touch(stats, s.timeMillis());
    }

    private void event(Telemetry e) {
        eventsIn++;
        if (e instanceof ChangeEvent c) {
            seen("event", c.service(), c.host(), c.timeMillis());
        } else if (e instanceof Alert a) {
            String host = targets.host(a.labels());
            seen("alert", targets.service(a.labels(), host), host, a.timeMillis());
        }
        sink.insertEvent(e);
    }

    private void seen(String source, String service, String host, long time) {
        if (service != null && !service.isEmpty()) {
            sourceSeen.merge(new SourceKey(true, service, source), time, Math::max);
        }
        if (host != null && !host.isEmpty()) {
            sourceSeen.merge(new SourceKey(false, host, source), time, Math::max);
        }
    }

    /**
     * Whether a source (metric, log, trace, alert, event) sent anything for the service or host since
     * {@code sinceMillis}: a missing source is unknown evidence, not absent evidence.
     */
    public boolean reporting(String service, String host, String source, long sinceMillis) {
        Long bySvc = service == null || service.isEmpty() ? null : sourceSeen.get(new SourceKey(true, service, source));
        Long byHost = host == null || host.isEmpty() ? null : sourceSeen.get(new SourceKey(false, host, source));
        return (bySvc != null && bySvc >= sinceMillis) || (byHost != null && byHost >= sinceMillis);
    }

    private void touch(Object state, long time) {
        dirty.add(state);
        lastTouched.put(state, time);
    }

    private void forget(Object state) {
        if (state instanceof SeriesState s) {
            forgetForecast(s);
        }
        dirty.remove(state);
        lastTouched.remove(state);
        sink.delete(state); // a state never flushed is unknown to the sink, which ignores it
    }

    private void drop(String reason) {
        dropped.computeIfAbsent(reason, k -> new long[1])[0]++;
    }

    /** Hands every state changed since the last flush to the sink, once each. */
    public void flush() {
        for (Object state : dirty) {
            sink.upsert(state);
            // source activity is read only when a diagnosis is scored: once per state per batch is enough
            if (state instanceof SeriesState s) {
                seen("metric", s.service(), s.host(), s.time());
            } else if (state instanceof LogPatternRate r) {
                seen("log", r.service(), r.host(), r.lastSeen());
            } else if (state instanceof SpanStats t) {
                seen("trace", t.service(), t.host(), t.lastSeen());
            }
        }
        dirty.clear();
        for (SeriesState s : forecastDirty) {
            Forecast next = detectors.get(s).forecast(s);
            Forecast previous = next == null ? null : forecasts.put(s, next);
            if (previous == null) {
                if (next != null) {
                    sink.upsert(next);
                }
            } else {
                sink.replace(previous, next);
            }
        }
        forecastDirty.clear();
    }

    /** Drops state not updated since {@code nowMillis − idle}: a series that stopped reporting leaves memory. */
    public void expire(long nowMillis) {
        long cutoff = nowMillis - config.idleMillis();
        series.removeIf(s -> s.time() < cutoff, this::forget);
        spans.values().removeIf(s -> expired(s, cutoff));
        for (LinkedHashMap<String, LogPatternRate> byKey : templatesByService.values()) {
            int before = byKey.size();
            byKey.values().removeIf(r -> expired(r, cutoff));
            templates -= before - byKey.size();
        }
        templatesByService.values().removeIf(Map::isEmpty);
    }

    private boolean expired(Object state, long cutoff) {
        Long t = lastTouched.get(state);
        if (t != null && t < cutoff) {
            forget(state);
            return true;
        }
        return false;
    }

    /** A service (or host) and a source that reported for it. */
    private record SourceKey(boolean service, String name, String source) {
    }

    public CondenseStats stats() {
        Map<String, Long> drops = new TreeMap<>();
        dropped.forEach((reason, n) -> drops.put(reason, n[0]));
        return new CondenseStats(metricsIn, logsIn, spansIn, eventsIn, series.size(), templates, spans.size(), drops);
    }

    /** How many series have online detectors now. */
    public int forecastSeries() {
        return detectors.size();
    }
}
