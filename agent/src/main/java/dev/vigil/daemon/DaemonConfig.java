package dev.vigil.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.audit.AuditOptions;
import dev.vigil.audit.SigningKey;
import dev.vigil.api.Tokens;
import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import dev.vigil.content.Durations;
import dev.vigil.content.SchemaValidator;
import dev.vigil.content.YamlDocument;
import dev.vigil.condense.ForecastConfig;
import dev.vigil.condense.forecast.ForecastParams;
import dev.vigil.fact.ServiceNode;
import dev.vigil.fact.Topology;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.playbook.RunnerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration of {@code vigil run}. Every key is optional: with no file at all the daemon listens on loopback,
 * probes the local host and runs in dry-run ({@code mode: execute} lets execute decisions act). A bad file fails at start with every error listed by line and field.
 * Immutable. The full shape, with defaults, is in {@code deploy/config/vigil.yaml}.
 */
public record DaemonConfig(Listen listen, Path dataDir, Optional<Path> policyFile, Optional<Path> contentDir,
                           HostProbe hostProbe, IngestLimits limits, long queueCapacity, Duration requestTimeout,
                           List<ScrapeTarget> scrape, Optional<Listen> syslog, List<TailedFile> tail,
                           Topology topology, Duration learnedEdgeTtl, Optional<URI> tracingEndpoint,
                           String logFormat, Duration statusInterval, AuditOptions audit, Execution execution,
                           ApprovalsConfig approvals, List<Tokens.Entry> apiTokens, ForecastConfig forecast,
                           FleetConfig fleet, ExecutorsConfig executors, Optional<Tls> apiTls, boolean warmUp) {
    private static final SchemaValidator SCHEMA = SchemaValidator.fromClasspath("/dev/vigil/daemon/config.schema.json");

    public static final int DEFAULT_PORT = 9795;

    /** An address to listen on. */
    public record Listen(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * TLS on the HTTP listener ({@code api.tls}): a PEM certificate chain and its PEM private key (PKCS#8 or PKCS#1).
     * The listener is shared, so receivers, {@code /metrics} and the API all answer HTTPS then.
     */
    public record Tls(Path certFile, Path keyFile) {
    }

    /** The built-in host probe. */
    public record HostProbe(boolean enabled, Duration interval, Path proc) {
    }

    /** A Prometheus text-format endpoint to scrape. */
    public record ScrapeTarget(URI url, String job, Duration interval, Duration timeout) {
    }

    /**
     * Whether execute decisions act ({@code mode: execute}) or are only planned ({@code dry-run}, the default), and how
     * the playbook runner works when they act.
     */
    public record Execution(boolean executes, RunnerConfig runner) {
        public String mode() {
            return executes ? "execute" : "dry-run";
        }
    }

    /** A log file to follow, and the service that writes it. */
    public record TailedFile(Path path, String service) {
    }

    public DaemonConfig {
        policyFile = policyFile == null ? Optional.empty() : policyFile;
        contentDir = contentDir == null ? Optional.empty() : contentDir;
        syslog = syslog == null ? Optional.empty() : syslog;
        tracingEndpoint = tracingEndpoint == null ? Optional.empty() : tracingEndpoint;
        scrape = List.copyOf(scrape);
        tail = List.copyOf(tail);
        audit = audit == null ? AuditOptions.NONE : audit;
        fleet = fleet == null ? FleetConfig.LOCAL : fleet;
        executors = executors == null ? ExecutorsConfig.NONE : executors;
        approvals = approvals == null ? ApprovalsConfig.defaults() : approvals;
        apiTokens = apiTokens == null ? List.of() : List.copyOf(apiTokens);
        apiTls = apiTls == null ? Optional.empty() : apiTls;
    }

    /** The built-in defaults: loopback, host probe every 15 s, dry-run. */
    public static DaemonConfig defaults() {
        try {
            return parse(new ContentFile("(defaults)", "{}"));
        } catch (ContentException e) {
            throw new IllegalStateException("the empty configuration must be valid: " + e.getMessage(), e);
        }
    }

    public static DaemonConfig load(Path file) throws ContentException {
        try {
            return parse(new ContentFile(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new ContentException(new ContentError(file.toString(), 0, "", "cannot read: " + e.getMessage()));
        }
    }

    public static DaemonConfig parse(ContentFile file) throws ContentException {
        YamlDocument doc = YamlDocument.parse(file);
        List<ContentError> errors = new ArrayList<>(SCHEMA.validate(doc));
        if (!errors.isEmpty()) {
            throw new ContentException(errors);
        }
        JsonNode root = doc.root();
        JsonNode listen = root.path("listen");
        JsonNode probe = root.path("host_probe");
        JsonNode ingest = root.path("ingest");
        IngestLimits d = IngestLimits.DEFAULTS;
        IngestLimits limits = new IngestLimits(
                ingest.path("max_body_bytes").asInt(d.maxBodyBytes()),
                ingest.path("max_decoded_bytes").asInt(d.maxDecodedBytes()),
                ingest.path("max_labels_per_series").asInt(d.maxLabelsPerSeries()),
                ingest.path("max_label_name_bytes").asInt(d.maxLabelNameBytes()),
                ingest.path("max_label_value_bytes").asInt(d.maxLabelValueBytes()),
                ingest.path("max_log_body_bytes").asInt(d.maxLogBodyBytes()),
                ingest.path("max_items_per_request").asInt(d.maxItemsPerRequest()));
        if (limits.maxDecodedBytes() < limits.maxBodyBytes()) {
            errors.add(doc.error("/ingest/max_decoded_bytes", "must be at least max_body_bytes (" + limits.maxBodyBytes() + ")"));
        }
        long queueCapacity = ingest.path("queue_capacity").asLong(1_000_000);
        if (queueCapacity < limits.maxItemsPerRequest()) {
            // a request larger than the whole queue could never be taken, and its sender would retry it forever
            errors.add(doc.error("/ingest/queue_capacity", "must be at least max_items_per_request (" + limits.maxItemsPerRequest() + ")"));
        }
        List<ScrapeTarget> scrape = new ArrayList<>();
        JsonNode targets = root.path("scrape");
        for (int i = 0; i < targets.size(); i++) {
            JsonNode t = targets.get(i);
            try {
                URI url = new URI(t.path("url").asText());
                if (url.getHost() == null) {
                    errors.add(doc.error("/scrape/" + i + "/url", "names no host"));
                    continue;
                }
                Duration interval = duration(t, "interval", "15s");
                Duration timeout = duration(t, "timeout", "10s");
                if (timeout.compareTo(interval) > 0) {
                    errors.add(doc.error("/scrape/" + i + "/timeout", "must not be longer than the interval (" + interval.toSeconds() + "s)"));
                }
                scrape.add(new ScrapeTarget(url, t.path("job").asText(), interval, timeout));
            } catch (URISyntaxException e) {
                errors.add(doc.error("/scrape/" + i + "/url", "not a URL: " + e.getReason()));
            }
        }
        List<TailedFile> tail = new ArrayList<>();
        root.path("tail").forEach(t -> tail.add(new TailedFile(Path.of(t.path("path").asText()), t.path("service").asText())));
        Topology topology = topology(doc, root.path("topology").path("services"), errors);
        AuditOptions audit = audit(doc, root.path("audit"), errors);
        List<Tokens.Entry> apiTokens = ApprovalsConfig.tokens(doc, root.path("api").path("tokens"), errors);
        Optional<Tls> apiTls = tls(doc, root.path("api").path("tls"), errors);
        ForecastConfig forecast = forecast(doc, root.path("forecast"), errors);
        FleetConfig fleet = FleetConfig.parse(doc, root.path("fleet"), errors);
        ExecutorsConfig executors = ExecutorsConfig.parse(doc, root.path("executors"), errors);
        if (!errors.isEmpty()) {
            throw new ContentException(errors);
        }
        JsonNode syslog = root.path("syslog");
        Path dataDir = Path.of(root.path("data_dir").asText("vigil-data"));
        return new DaemonConfig(
                new Listen(listen.path("host").asText("127.0.0.1"), listen.path("port").asInt(DEFAULT_PORT)),
                dataDir,
                optionalPath(root, "policy_file"), optionalPath(root, "content_dir"),
                new HostProbe(probe.path("enabled").asBoolean(true), duration(probe, "interval", "15s"),
                        Path.of(probe.path("proc").asText("/proc"))),
                limits, queueCapacity, duration(ingest, "request_timeout", "10s"),
                scrape,
                syslog.isMissingNode() ? Optional.empty()
                        : Optional.of(new Listen(syslog.path("host").asText("127.0.0.1"), syslog.path("port").asInt())),
                tail, topology, duration(root.path("topology"), "learned_edge_ttl", "15m"),
                root.has("tracing") ? Optional.of(URI.create(root.path("tracing").path("otlp_endpoint").asText())) : Optional.empty(),
                root.path("logging").path("format").asText("plain"),
                duration(root, "status_interval", "30s"), audit,
                execution(root, dataDir), ApprovalsConfig.parse(root.path("approvals")), apiTokens,
                forecast, fleet, executors, apiTls, root.path("warm_up").asBoolean(true));
    }

    /** The {@code api.tls} section: both files must be readable now, so a typo fails the start, not the first client. */
    private static Optional<Tls> tls(YamlDocument doc, JsonNode tls, List<ContentError> errors) {
        if (tls.isMissingNode()) {
            return Optional.empty();
        }
        Tls t = new Tls(Path.of(tls.path("cert_file").asText()), Path.of(tls.path("key_file").asText()));
        for (String field : List.of("cert_file", "key_file")) {
            Path file = field.equals("cert_file") ? t.certFile() : t.keyFile();
            if (!Files.isReadable(file) || Files.isDirectory(file)) {
                errors.add(doc.error("/api/tls/" + field, "cannot read " + file));
            }
        }
        return Optional.of(t);
    }

    /** The runner's settings; the kill switch file defaults to {@code <data_dir>/kill-switch}. */
    private static Execution execution(JsonNode root, Path dataDir) {
        JsonNode e = root.path("execution");
        RunnerConfig d = RunnerConfig.defaults();
        RunnerConfig runner = new RunnerConfig(e.path("workers").asInt(d.workers()), d.queueCapacity(),
                e.path("max_concurrent").asInt(d.maxConcurrent()), e.path("circuit_failures").asInt(d.circuitFailures()),
                duration(e, "blast_window", "1h"), e.path("max_targets").asInt(d.maxTargets()),
                duration(e, "verify_every", "5s"), d.freshness(), e.path("kill_switch").asBoolean(false),
                Optional.of(Path.of(e.path("kill_switch_file").asText(dataDir.resolve("kill-switch").toString()))));
        return new Execution("execute".equals(root.path("mode").asText("dry-run")), runner);
    }

    /** The same configuration listening on another address (the command line wins over the file). */
    public DaemonConfig withListen(Listen other) {
        return new DaemonConfig(other, dataDir, policyFile, contentDir, hostProbe, limits, queueCapacity, requestTimeout,
                scrape, syslog, tail, topology, learnedEdgeTtl, tracingEndpoint, logFormat, statusInterval, audit, execution,
                approvals, apiTokens, forecast, fleet, executors, apiTls, warmUp);
    }

    /** The {@code audit:} section: rotation, checkpoints, and the checkpoint signing key, read now so a bad key fails at start. */
    private static AuditOptions audit(YamlDocument doc, JsonNode audit, List<ContentError> errors) {
        String interval = audit.path("rotate_interval").asText("1d");
        AuditOptions options = new AuditOptions(audit.path("rotate_bytes").asLong(64L << 20),
                interval.equals("never") ? Duration.ZERO : Durations.parse(interval),
                duration(audit, "checkpoint_interval", "5m"), Optional.empty());
        if (!audit.hasNonNull("signing_key")) {
            return options;
        }
        try {
            return options.withSigningKey(SigningKey.load(Path.of(audit.get("signing_key").asText())));
        } catch (IllegalArgumentException e) {
            errors.add(doc.error("/audit/signing_key", e.getMessage()));
            return options;
        }
    }

    private static Topology topology(YamlDocument doc, JsonNode services, List<ContentError> errors) {
        List<ServiceNode> nodes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < services.size(); i++) {
            JsonNode s = services.get(i);
            String name = s.path("name").asText();
            if (!names.add(name)) {
                errors.add(doc.error("/topology/services/" + i + "/name", "service " + name + " is listed twice"));
            }
            List<String> hosts = new ArrayList<>();
            s.path("hosts").forEach(h -> hosts.add(h.asText()));
            List<String> deps = new ArrayList<>();
            s.path("depends_on").forEach(dep -> deps.add(dep.asText()));
            if (deps.contains(name)) {
                errors.add(doc.error("/topology/services/" + i + "/depends_on", "service " + name + " cannot depend on itself"));
            }
            nodes.add(new ServiceNode(name, s.path("kind").asText(""), hosts, deps));
        }
        return new Topology(nodes);
    }

    /**
     * The {@code forecast:} section over the defaults: the detectors' parameters and how the live series are stepped;
     * a combination the detectors reject is an error on the section.
     */
    private static ForecastConfig forecast(YamlDocument doc, JsonNode f, List<ContentError> errors) {
        ForecastConfig live = ForecastConfig.defaults();
        ForecastParams d = live.detectors();
        try {
            ForecastParams params = new ForecastParams(f.path("trend_points").asInt(d.trendPoints()),
                    f.path("trend_confidence_z").asDouble(d.trendConfidenceZ()),
                    f.path("level_alpha").asDouble(d.levelAlpha()), f.path("day_gamma").asDouble(d.dayGamma()),
                    f.path("week_gamma").asDouble(d.weekGamma()), f.path("day_slots").asInt(d.daySlots()),
                    f.path("error_half_life").asDouble(d.errorHalfLife()), f.path("short_points").asInt(d.shortPoints()),
                    f.path("history_half_life").asDouble(d.historyHalfLife()),
                    f.path("warmup_points").asInt(d.warmupPoints()), f.path("cusum_drift").asDouble(d.cusumDrift()),
                    f.path("cusum_limit").asDouble(d.cusumLimit()),
                    f.path("refractory_half_life").asDouble(d.refractoryHalfLife()),
                    f.path("rarity_weight").asDouble(d.rarityWeight()),
                    f.path("rarity_half_life").asDouble(d.rarityHalfLife()));
            return new ForecastConfig(params, duration(f, "step", "1m").toMillis(),
                    f.path("recent_points").asInt(live.recentPoints()), duration(f, "horizon", "1h").toMillis(),
                    f.path("anomaly_threshold").asDouble(live.anomalyThreshold()), f.path("max_series").asInt(live.maxSeries()));
        } catch (IllegalArgumentException e) {
            errors.add(doc.error("/forecast", e.getMessage()));
            return live;
        }
    }

    /** A duration field of a config section, or {@code fallback} (in the same text form) when it is absent. */
    static Duration duration(JsonNode parent, String field, String fallback) {
        return Durations.parse(parent.path(field).asText(fallback));
    }

    private static Optional<Path> optionalPath(JsonNode root, String field) {
        return root.hasNonNull(field) ? Optional.of(Path.of(root.get(field).asText())) : Optional.empty();
    }
}
