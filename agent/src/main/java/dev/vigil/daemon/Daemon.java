package dev.vigil.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.CatalogRoutes;
import dev.vigil.api.GovernorRoutes;
import dev.vigil.api.Tokens;
import dev.vigil.audit.AuditJournal;
import dev.vigil.audit.BackgroundCommits;
import dev.vigil.condense.BeforeQueue;
import dev.vigil.condense.TopologyLearner;
import dev.vigil.engine.Engine;
import dev.vigil.fact.MetricSample;
import dev.vigil.ingest.FileTailer;
import dev.vigil.ingest.HostProbe;
import dev.vigil.ingest.HttpIngest;
import dev.vigil.ingest.IngestQueue;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.Scraper;
import dev.vigil.ingest.SyslogServer;
import dev.vigil.confidence.TrackRecord;
import dev.vigil.fact.SeriesState;
import dev.vigil.playbook.BindResult;
import dev.vigil.playbook.Conditions;
import dev.vigil.playbook.ExecExecutor;
import dev.vigil.playbook.FactView;
import dev.vigil.playbook.LiveFacts;
import dev.vigil.playbook.Notifier;
import dev.vigil.decision.DecisionKind;
import dev.vigil.fleet.FleetCoordinator;
import dev.vigil.fleet.FleetCorrelator;
import dev.vigil.fleet.FleetException;
import dev.vigil.fleet.ZooKeeperCoordinator;
import dev.vigil.playbook.FleetPermits;
import dev.vigil.playbook.HttpExecutor;
import dev.vigil.playbook.KubernetesExecutor;
import dev.vigil.playbook.SqlExecutor;
import dev.vigil.playbook.NotifyExecutor;
import dev.vigil.playbook.ParameterBinder;
import dev.vigil.playbook.PlaybookRunner;
import dev.vigil.playbook.RunJournal;
import dev.vigil.playbook.StepExecutor;
import dev.vigil.playbook.TrackRecords;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon, wired: receivers (HTTP, syslog, scrapes, tails, host probe) → bounded queue → engine thread →
 * journal, with {@code /metrics}, {@code /healthz} and the topology on the same HTTP port. Start with {@link #start};
 * {@link #close} stops the receivers first, lets the engine take what they accepted, then makes the journal durable.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HEALTHY_WITHIN_MILLIS = 15_000;
    /** rsyslog keeps its forwarding connection open between messages; a quiet minute is no attack. */
    private static final java.time.Duration SYSLOG_IDLE = java.time.Duration.ofMinutes(5);

    private final DaemonConfig config;
    private final AuditJournal journal;
    private final Vertx vertx;
    private final IngestStats stats = new IngestStats();
    private final IngestQueue queue;
    private final SelfMetrics metrics;
    private final SelfTracing tracing;
    private final EngineLoop engine;
    private final BackgroundCommits commits;
    private final PipelineOptions options;
    private final WarmUp warmUp = new WarmUp();
    private volatile java.util.concurrent.Future<WarmUp.Result> warming =
            java.util.concurrent.CompletableFuture.completedFuture(new WarmUp.Result(0, 0, 0, 0));
    private final Optional<PlaybookRunner> runner;
    private final java.util.concurrent.atomic.AtomicReference<Notifier> notifier =
            new java.util.concurrent.atomic.AtomicReference<>(Notifier.log());
    /** In fleet mode, the ZooKeeper coordinator every run asks for a grant. */
    private final Optional<FleetCoordinator> fleet;
    /** In fleet mode: diagnoses published, the settle delay, shared-cause incidents and the correlator. */
    private final Optional<FleetLink> fleetLink;
    /** Where fleet incidents are told: the approval desk's channels once it is up. */
    private volatile Pipeline.Outcomes told = Pipeline.Outcomes.NONE;
    private final PrintWriter out;
    /** The metric names the running rules read; replaced whole by a reload. */
    private volatile Set<String> wantedMetrics;
    private final Pipeline pipeline;
    private final Content content;
    private final Reloader reloader;
    private Optional<ContentWatch> watch = Optional.empty();
    private final InstantSource clock;
    private final String host;
    private final ScheduledExecutorService probeThread =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "vigil-probe"));
    private final List<AutoCloseable> receivers = new ArrayList<>();
    private HttpServer http;
    private ApiRouters api;
    private Integer syslogPort;

    /** Thrown when the daemon cannot start (a port in use, an unreadable file); nothing is left running. */
    public static final class StartException extends Exception {
        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private Daemon(DaemonConfig config, Content content, PolicyFile.Policy policy, AuditJournal journal, PrintWriter out,
                   InstantSource clock, String host, SelfTracing tracing, Optional<FleetCoordinator> fleet) {
        this.fleet = fleet;
        this.wantedMetrics = content.rules().metricNames();
        this.config = config;
        this.journal = journal;
        this.clock = clock;
        this.host = host;
        this.tracing = tracing;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
        PipelineOptions options = PipelineOptions.of(Engine.ClockKind.REALTIME, policy, "d-" + clock.millis() + "-")
                .withDryRun(!config.execution().executes()).withForecast(config.forecast());
        int maxLogBodyChars = options.condense().maxLogBodyChars();
        // log templating and series hashing run on the receiving threads, not on the one engine thread
        this.queue = new IngestQueue(config.queueCapacity(), stats, t -> BeforeQueue.prepare(t, maxLogBodyChars));
        this.metrics = new SelfMetrics(queue, stats);
        this.out = out;
        this.fleetLink = fleet.map(c -> fleetLink(c, config, host, clock));
        fleetLink.ifPresent(metrics::fleet);
        TrackRecords records = new TrackRecords();
        this.runner = config.execution().executes() ? Optional.of(runner(config, content, journal, out, clock, host, records))
                : Optional.empty();
        Pipeline.Actions actions = new Pipeline.Actions((signature, playbook) -> {
            TrackRecords.Tally t = records.of(signature, playbook);
            return new TrackRecord(t.successes(), t.failures());
        }, d -> runner.ifPresent(r -> {
            // in a fleet, the other agents' diagnoses of the same cause get the settle delay to arrive first
            Runnable submit = () -> r.submit(d).thenAccept(result -> out.printf(Locale.ROOT, "run %s: %s %s: %s%n",
                    result.runId(), result.playbook(), result.outcome().wireName(), result.reason()));
            fleetLink.ifPresentOrElse(link -> link.afterSettle(submit), submit);
        }));
        this.content = content;
        // the engine thread appends decisions and goes on; their fsync and what waits for it run on the commit thread
        this.commits = new BackgroundCommits(journal);
        this.pipeline = new Pipeline(content, options, commits, clock.millis(), actions);
        fleetLink.ifPresent(pipeline::diagnoses);
        TopologyLearner learner = new TopologyLearner(config.topology(), config.learnedEdgeTtl().toMillis(), 10_000);
        this.engine = new EngineLoop(pipeline, queue, learner, tracing.tracer(), metrics, out, clock,
                config.statusInterval(), this::ingestSummary);
        this.reloader = new Reloader(content, engine::query, journal);
        // the runner acts on the playbooks of the content running now
        this.options = options;
        reloader.onResult(result -> {
            if (result instanceof ReloadResult.Applied) {
                wantedMetrics = reloader.current().rules().metricNames();
                runner.ifPresent(r -> r.catalog(reloader.current().playbooks()));
                warmUp(reloader.current()); // new rules: their constraints are cold again
            }
        });
    }

    /**
     * The playbook runner of {@code mode: execute}: exec scripts from the content directory on disk (none from a jar),
     * notify to the log, live facts read on the engine thread, every record durable in the journal.
     */
    private PlaybookRunner runner(DaemonConfig config, Content content, AuditJournal journal, PrintWriter out,
                                  InstantSource clock, String host, TrackRecords records) {
        List<StepExecutor> executors = new ArrayList<>();
        // notify steps reach the approval desk's channels once it is up (it starts with the receivers)
        executors.add(new NotifyExecutor((channels, message) -> notifier.get().send(channels, message)));
        executors.add(new HttpExecutor(clock));
        if (!config.executors().sql().byName().isEmpty()) {
            executors.add(new SqlExecutor(config.executors().sql(), clock));
        }
        config.executors().kubernetes().ifPresent(k -> executors.add(new KubernetesExecutor(k, clock)));
        Optional<java.nio.file.Path> root = content.source().directory();
        if (root.isPresent()) {
            executors.add(new ExecExecutor(root.get(), content.playbooks().lock(), Set.of(host, "localhost")));
        } else {
            LOG.warn("the content is inside the jar: exec steps are refused; set content_dir to run scripts");
        }
        FactView facts = (conditions, values, notBefore) -> engine.query(p -> Conditions.check(conditions, values,
                new LiveFacts() {
                    @Override
                    public java.util.Collection<SeriesState> series(String metric) {
                        return p.engine().facts(SeriesState.class).stream().filter(s -> s.name().equals(metric)).toList();
                    }

                    @Override
                    public java.util.Collection<dev.vigil.fact.Evidence> evidence() {
                        return p.engine().state().evidence();
                    }
                }, notBefore));
        RunJournal durable = (type, data) -> {
            journal.append(type, data);
            journal.commit();
        };
        FleetPermits permits = fleetLink.map(FleetLink::permits).orElse(FleetPermits.LOCAL);
        return new PlaybookRunner(config.execution().runner(), content.playbooks(), executors, facts,
                () -> engine.topology(), durable, clock, records, permits);
    }

    /** The fleet's live part for coordinator {@code c}: settle, shared cause, correlator (when this agent stands). */
    private FleetLink fleetLink(FleetCoordinator c, DaemonConfig config, String host, InstantSource clock) {
        FleetConfig.Correlator correlation = config.fleet().correlator();
        Optional<FleetCorrelator> correlator = correlation.enabled()
                ? Optional.of(new FleetCorrelator(correlation.minDependents(), config.fleet().limits().sharedCauseHosts()))
                : Optional.empty();
        return new FleetLink(c, host, config.fleet().limits().settle(), config.execution().runner().blastWindow(), correlator,
                correlation.every(), () -> dependsOn(engine.topology()), new FleetLink.Told() {
                    @Override
                    public void incident(dev.vigil.decision.Decision d) {
                        tellFleetIncident(d);
                    }

                    @Override
                    public void failedClosed(dev.vigil.decision.Decision original, dev.vigil.decision.Decision instead) {
                        tellFailedClosed(original, instead);
                    }
                }, metrics.fleetMeters(), clock);
    }

    private static Map<String, List<String>> dependsOn(dev.vigil.fact.Topology topology) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        topology.services().forEach(s -> out.put(s.name(), s.dependsOn()));
        return out;
    }

    /** A fleet incident this agent recorded: durable in the journal, then told on the notification channels. */
    private void tellFleetIncident(dev.vigil.decision.Decision d) {
        journal.append("fleet.incident", Pipeline.decisionRecord(d));
        journal.commit();
        metrics.decision(d.kind().wireName());
        out.printf(Locale.ROOT, "fleet incident %s: %s%n", d.id(), d.reasons().get(d.reasons().size() - 1));
        told.notify(d);
    }

    /**
     * An execute decision the fleet refused for failing closed, now a notify, or an approval request when approvals
     * are configured (a person may let it run once the fleet grants again): journalled as a decision of its own, naming
     * the one it replaces, then told on the notification channels or opened for approval.
     */
    private void tellFailedClosed(dev.vigil.decision.Decision original, dev.vigil.decision.Decision notify) {
        dev.vigil.decision.Decision d = notify;
        Map<String, String> parameters = Map.of();
        if (config.approvals().configured()) {
            Optional<dev.vigil.playbook.Playbook> pb = reloader.current().playbooks().get(notify.playbook());
            if (pb.isPresent() && ParameterBinder.bind(pb.get(), notify.target(), notify.bindings()) instanceof BindResult.Bound ok) {
                parameters = ok.values();
                List<String> reasons = new ArrayList<>(notify.reasons());
                reasons.add("approvals are configured: a person may approve it, and it runs once the fleet grants again");
                // execute decisions are never high risk, so one approver is enough, as the gate asks for low risk
                d = new dev.vigil.decision.Decision(notify.id(), notify.timeMillis(), notify.signature(), notify.target(),
                        notify.confidence(), DecisionKind.APPROVE, notify.playbook(), reasons, 1, notify.evidence(),
                        notify.bindings());
            }
        }
        Map<String, Object> data = Pipeline.decisionRecord(d);
        data.put("replaces", original.id());
        journal.append("decision", data);
        if (d.kind() == DecisionKind.APPROVE) {
            journal.append("approval.pending", Pipeline.pendingRecord(d, parameters));
        }
        journal.commit();
        metrics.decision(d.kind().wireName());
        out.printf(Locale.ROOT, "decision %s: %s instead of %s: %s%n", d.id(), d.kind().wireName(), original.id(),
                notify.reasons().get(notify.reasons().size() - 1));
        if (d.kind() == DecisionKind.APPROVE) {
            told.approve(d, parameters);
        } else {
            told.notify(d);
        }
    }

    /** What the governor API acts on: the runner (in execute mode) and the reloader. */
    private GovernorRoutes.Controls governorControls() {
        return new GovernorRoutes.Controls() {
            @Override
            public Map<String, Object> execution() {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("mode", runner.isPresent() ? "execute" : "dry-run");
                runner.ifPresent(r -> {
                    out.put("kill_switch", r.killSwitch().engaged().orElse(""));
                    out.put("open_circuits", new java.util.TreeSet<>(r.openCircuits()));
                    out.put("runs_in_flight", r.inFlight());
                    fleet.ifPresent(c -> out.put("fleet", Map.of("name", c.fleet(), "kill_switch", c.killSwitchOn(),
                            "session", c.session(), "correlator", fleetLink.map(FleetLink::leads).orElse(false))));
                });
                return out;
            }

            @Override
            public void engageKillSwitch(String governor, String reason) {
                executing().engageKillSwitch(governor, reason);
                fleetKillSwitch(true, governor); // in a fleet, the switch stops every agent
            }

            @Override
            public void releaseKillSwitch(String governor) {
                executing().releaseKillSwitch(governor);
                fleetKillSwitch(false, governor);
            }

            @Override
            public boolean closeCircuit(String playbook, String governor) {
                return executing().closeCircuit(playbook, governor);
            }

            @Override
            public GovernorRoutes.Reload reload(String governor) {
                return api(reloader.reload(governor));
            }

            @Override
            public GovernorRoutes.Reload promote(String id, String governor) throws IOException {
                return api(reloader.promote(id, governor));
            }

            private GovernorRoutes.Reload api(ReloadResult r) {
                List<String> errors = r instanceof ReloadResult.Rejected rejected
                        ? rejected.errors().stream().map(Object::toString).toList() : List.of();
                return new GovernorRoutes.Reload(r instanceof ReloadResult.Rejected, r.describe(), errors);
            }

            private void fleetKillSwitch(boolean on, String governor) {
                if (fleet.isPresent()) {
                    try {
                        fleet.get().setKillSwitch(on, governor);
                    } catch (FleetException e) {
                        throw new IllegalStateException("this agent's kill switch is " + (on ? "on" : "off")
                                + ", but the fleet's could not be set: " + e.getMessage(), e);
                    }
                }
            }

            private PlaybookRunner executing() {
                return runner.orElseThrow(() -> new IllegalStateException(
                        "this agent runs in dry-run: nothing executes, so there is no kill switch or circuit to set"));
            }
        };
    }

    /** The content running now and the open circuits, for the catalog routes. */
    private CatalogRoutes.Source catalogSource() {
        return new CatalogRoutes.Source() {
            @Override
            public java.util.Collection<dev.vigil.signature.Signature> signatures() {
                return reloader.current().signatures().all();
            }

            @Override
            public java.util.Collection<dev.vigil.signature.Signature> shadow() {
                return reloader.current().shadow().all();
            }

            @Override
            public List<dev.vigil.signature.RuleRef> rules() {
                return Content.ruleRefs(reloader.current().rules());
            }

            @Override
            public java.util.Collection<dev.vigil.playbook.Playbook> playbooks() {
                return reloader.current().playbooks().all();
            }

            @Override
            public Set<String> openCircuits() {
                return runner.map(r -> Set.copyOf(r.openCircuits())).orElse(Set.of());
            }
        };
    }

    /** Starts everything the configuration asks for, or stops what it started and throws. */
    public static Daemon start(DaemonConfig config, Content content, PolicyFile.Policy policy, AuditJournal journal,
                               PrintWriter out, InstantSource clock, String host) throws StartException {
        return start(config, content, policy, journal, out, clock, host, SelfTracing.of(config.tracingEndpoint(), host));
    }

    static Daemon start(DaemonConfig config, Content content, PolicyFile.Policy policy, AuditJournal journal,
                        PrintWriter out, InstantSource clock, String host, SelfTracing tracing) throws StartException {
        Optional<FleetCoordinator> fleet = Optional.empty();
        if (config.execution().executes() && config.fleet().zookeeper().isPresent()) {
            try {
                ZooKeeperCoordinator zk = ZooKeeperCoordinator.start(config.fleet().zookeeper().get(),
                        config.fleet().agent().orElse(host), config.fleet().limits(), clock);
                if (config.fleet().correlator().enabled()) {
                    try {
                        zk.joinLeaderElection();
                    } catch (FleetException e) {
                        zk.close();
                        throw e;
                    }
                }
                fleet = Optional.of(zk);
            } catch (FleetException e) {
                tracing.close();
                throw new StartException("fleet mode: " + e.getMessage() + "; no grant, no action: not starting", e);
            }
        }
        Daemon d = new Daemon(config, content, policy, journal, out, clock, host, tracing, fleet);
        try {
            d.startReceivers();
        } catch (StartException e) {
            d.close();
            throw e;
        }
        d.engine.start();
        d.warmUp(content);
        d.watch = ContentWatch.reloading(content.source(), d.reloader);
        return d;
    }

    /** Warms the decision path on {@code current}'s own scenarios, unless {@code warm_up: false}. */
    private void warmUp(Content current) {
        if (config.warmUp()) {
            warming = warmUp.warm(current, options);
        }
    }

    private void startReceivers() throws StartException {
        // series no loaded rule reads are counted and skipped as they are decoded, before any label is built
        HttpIngest ingest = new HttpIngest(vertx, queue, stats, config.limits(), config.requestTimeout(), clock::millis,
                name -> wantedMetrics.contains(name));
        ApprovalDesk desk;
        try {
            desk = ApprovalDesk.start(config, content, journal, vertx, clock, runner);
        } catch (IOException | RuntimeException e) {
            throw new StartException("cannot set up approvals: " + e.getMessage(), e);
        }
        receivers.add(desk::close);
        notifier.set(desk.notifier());
        pipeline.outcomes(desk);
        told = desk;
        api = new ApiRouters(vertx, new Tokens(config.apiTokens()), desk.router(), governorControls(), catalogSource(),
                journal.file(), config.audit().signingKey());
        long timeoutMillis = config.requestTimeout().toMillis();
        Set<HttpConnection> served = ConcurrentHashMap.newKeySet();
        // the idle timeout is what cuts off a client that stalls mid-headers (slow loris): keep it at the request deadline
        HttpServerOptions options = new HttpServerOptions().setHost(config.listen().host()).setPort(config.listen().port())
                .setIdleTimeout((int) Math.max(1, config.requestTimeout().toSeconds())).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setDecompressionSupported(false);
        ApiRouters.tls(options, config.apiTls());
        http = vertx.createHttpServer(options)
                .connectionHandler(conn -> {
                    // a client that never completes its request headers (slow loris) is cut off at the deadline
                    long timer = vertx.setTimer(timeoutMillis, id -> {
                        if (!served.contains(conn)) {
                            stats.rejected("http", "request_timeout", 1);
                            conn.close();
                        }
                    });
                    conn.closeHandler(v -> {
                        vertx.cancelTimer(timer);
                        served.remove(conn);
                    });
                })
                .requestHandler(req -> {
                    served.add(req.connection());
                    if (!api.handle(req) && !ingest.handle(req)) {
                        own(req);
                    }
                });
        await(http.listen(), "listen for HTTP on " + config.listen());
        if (config.syslog().isPresent()) {
            DaemonConfig.Listen at = config.syslog().get();
            SyslogServer syslog = new SyslogServer(at.host(), at.port(), queue, stats, config.limits(), SYSLOG_IDLE, clock);
            receivers.add(syslog::close);
            syslogPort = await(syslog.start(vertx), "listen for syslog on " + at);
        }
        if (!config.scrape().isEmpty()) {
            List<Scraper.Target> targets = config.scrape().stream()
                    .map(t -> new Scraper.Target(t.url(), t.job(), t.interval(), t.timeout())).toList();
            Scraper scraper = new Scraper(targets, queue, stats, config.limits(), clock);
            receivers.add(scraper::close);
            scraper.start(vertx);
        }
        if (!config.tail().isEmpty()) {
            List<FileTailer.TailedFile> files = config.tail().stream()
                    .map(t -> new FileTailer.TailedFile(t.path(), t.service())).toList();
            FileTailer tailer = new FileTailer(files, host, queue, stats, config.limits(), clock);
            receivers.add(tailer::close);
            tailer.start(vertx);
        }
        if (config.hostProbe().enabled()) {
            HostProbe probe = new HostProbe(config.hostProbe().proc(), clock, host);
            probeThread.scheduleWithFixedDelay(() -> probe(probe), 0, config.hostProbe().interval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void probe(HostProbe probe) {
        try {
            List<String> errors = new ArrayList<>();
            List<MetricSample> samples = probe.collect(errors);
            errors.forEach(e -> LOG.warn("host probe: {}", e));
            queue.offer("host_probe", List.copyOf(samples));
        } catch (RuntimeException e) {
            LOG.error("host probe failed; trying again next interval", e);
        }
    }

    /** The daemon's own routes: metrics, health, topology, status. */
    private void own(HttpServerRequest req) {
        switch (req.path()) {
            case "/metrics" -> req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape());
            case "/healthz" -> {
                boolean alive = clock.millis() - engine.lastTickMillis() < HEALTHY_WITHIN_MILLIS;
                req.response().setStatusCode(alive ? 200 : 503).end(alive ? "ok\n" : "engine stalled\n");
            }
            case "/api/v1/topology" -> json(req, Map.of("services", engine.topology().services().stream().map(s -> Map.of(
                    "name", s.name(), "kind", s.kind(), "hosts", s.hosts(), "depends_on", s.dependsOn())).toList()));
            case "/api/v1/status" -> json(req, status());
            default -> req.response().setStatusCode(404).end("no such path: " + req.path() + "\n");
        }
    }

    private Map<String, Object> status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("mode", config.execution().mode());
        runner.ifPresent(r -> {
            s.put("kill_switch", r.killSwitch().engaged().orElse("released"));
            s.put("open_circuits", r.openCircuits());
            s.put("runs_in_flight", r.inFlight());
        });
        s.put("accepted", stats.acceptedTotal());
        s.put("rejected", stats.rejectedTotal());
        s.put("queue_depth", queue.depth());
        s.put("decisions", engine.decisions());
        s.put("engine_cycles", engine.ticks());
        return s;
    }

    private static void json(HttpServerRequest req, Object body) {
        try {
            req.response().putHeader("content-type", "application/json").end(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            req.response().setStatusCode(500).end("cannot render: " + e.getOriginalMessage());
        }
    }

    private String ingestSummary() {
        StringBuilder sb = new StringBuilder();
        stats.acceptedSnapshot().forEach((k, n) -> sb.append(sb.isEmpty() ? "" : ", ").append(k.source()).append(' ').append(n));
        return String.format(Locale.ROOT, "%d facts in (%s), %d refused, queue %d", stats.acceptedTotal(),
                sb.isEmpty() ? "none yet" : sb, stats.rejectedTotal(), queue.depth());
    }

    private static <T> T await(Future<T> f, String what) throws StartException {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartException("interrupted while trying to " + what, e);
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new StartException("cannot " + what + ": " + cause.getMessage(), cause);
        }
    }

    /** The port the HTTP server listens on (the configured one, or the one chosen for port 0). */
    public int httpPort() {
        return http.actualPort();
    }

    /** Every route of the governors' API (the test of roles walks them all). */
    List<io.vertx.ext.web.Route> apiRoutes() {
        return api.routes();
    }

    public Optional<Integer> syslogPort() {
        return Optional.ofNullable(syslogPort);
    }

    public IngestStats stats() {
        return stats;
    }

    public EngineLoop engine() {
        return engine;
    }

    /** The playbook runner, in {@code mode: execute} (the API's kill switch and circuits act on it). */
    public Optional<PlaybookRunner> runner() {
        return runner;
    }

    /** Reloads rules, signatures and playbooks (the file watch, SIGHUP and the API go through it). */
    public Reloader reloader() {
        return reloader;
    }

    /** The warm-up asked for last: done at once with {@code warm_up: false} (benches and tests wait for it). */
    public java.util.concurrent.Future<WarmUp.Result> warming() {
        return warming;
    }

    void flushTraces() {
        tracing.flush();
    }

    @Override
    public void close() {
        probeThread.shutdownNow();
        warmUp.close();
        for (AutoCloseable r : receivers) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("closing a receiver: {}", e.toString());
            }
        }
        if (http != null) {
            try {
                http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("closing the HTTP server: {}", e.toString());
            }
        }
        watch.ifPresent(ContentWatch::close);
        reloader.close();
        engine.close();
        commits.close(); // the last decisions durable, and handed on to the runner and the channels
        // runs under way get a grace period; one cut short keeps its intent in the journal, with no outcome
        runner.ifPresent(r -> r.close(java.time.Duration.ofSeconds(10)));
        fleetLink.ifPresent(FleetLink::close);
        fleet.ifPresent(FleetCoordinator::close);
        journal.commit();
        journal.close();
        tracing.close();
        vertx.close();
    }
}
