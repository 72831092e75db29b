package dev.vigil.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.vigil.fact.Alert;
import dev.vigil.fact.ChangeEvent;
import dev.vigil.fact.ChangeType;
import dev.vigil.fact.Labels;
import dev.vigil.fact.LogRecord;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.fact.ServiceNode;
import dev.vigil.fact.Severity;
import dev.vigil.fact.SpanKind;
import dev.vigil.fact.SpanRecord;
import dev.vigil.fact.SpanStatus;
import dev.vigil.fact.Target;
import dev.vigil.fact.Telemetry;
import dev.vigil.fact.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a scenario file (SCENARIOS.md) into facts and expectations, refusing the whole file at its first problem
 * with a {@link ScenarioFormatException} that names the file, the line and the field. Stateless, so thread-safe.
 *
 * <p>Each observation's fact is timed {@code start + round(t × 1000)} epoch ms; an alert's {@code startsAt}
 * defaults to that time. Strings are kept exactly as written: they are untrusted and rules must treat them so.
 */
public final class ScenarioReader {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** A location inside a Jackson reason; the line is always 1 here, so the column is all that helps. */
    private static final Pattern JACKSON_LOCATION = Pattern.compile("\\[Source: [^;\\]]*; line: \\d+, column: (\\d+)]");
    /** Above this many milliseconds {@code round} saturates, so {@code t} stops meaning a time. */
    private static final double MAX_T_MILLIS = 9.0e18;

    private static final List<String> KINDS = List.of("metric", "log", "span", "alert", "event", "expect");
    private static final String ONE_KIND = "a line holds exactly one of " + String.join(", ", KINDS);
    private static final Set<String> LINE_FIELDS = union("t", KINDS);
    private static final String LINE_EXPECTED = "a line holds t and one of " + String.join(", ", KINDS);

    private static final List<String> HEADER_FIELDS = List.of("scenario", "description", "start", "topology");
    private static final List<String> SERVICE_FIELDS = List.of("name", "kind", "hosts", "depends_on");
    private static final List<String> METRIC_FIELDS = List.of("name", "labels", "value", "type");
    private static final List<String> LOG_FIELDS = List.of("service", "host", "severity", "body", "attributes");
    private static final List<String> SPAN_FIELDS = List.of("service", "name", "kind", "duration_ms", "status",
            "trace_id", "span_id", "parent_span_id", "attributes");
    private static final List<String> ALERT_FIELDS = List.of("status", "labels", "annotations", "startsAt");
    private static final List<String> EVENT_FIELDS = List.of("type", "service", "host", "version", "attributes");
    private static final List<String> EXPECT_FIELDS = List.of("signature", "decision", "target", "playbook");
    private static final List<String> FORBID_FIELDS = List.of("playbook", "target");

    private static final List<String> SPAN_KINDS = List.of("server", "client", "internal", "producer", "consumer");
    private static final List<String> SPAN_STATUSES = List.of("ok", "error", "unset");
    private static final List<String> CHANGE_TYPES = List.of("deploy", "config_change", "scale", "restart",
            "node_drain");

    private ScenarioReader() {
    }

    /** Reads a file as strict UTF-8; its path, as given, names it in messages. */
    public static Scenario read(Path file) throws ScenarioFormatException, IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new Parse(file.toString(), LineSource.of(in)).run();
        }
    }

    /** Reads scenario text from {@code reader}, which the caller closes; {@code path} names it in messages. */
    public static Scenario parse(String path, Reader reader) throws ScenarioFormatException, IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reader, "reader");
        return new Parse(path, LineSource.of(reader)).run();
    }

    /** As {@link #parse(String, Reader)} with a different line limit, for tests. */
    static Scenario parse(String path, Reader reader, int maxLine) throws ScenarioFormatException, IOException {
        return new Parse(path, LineSource.of(reader, maxLine)).run();
    }

    /** The state of reading one file. */
    private static final class Parse {
        private final String path;
        private final LineSource lines;
        private final List<Observation> observations = new ArrayList<>();
        private final List<Expectation> expectations = new ArrayList<>();
        private long startMillis;
        private double previousT;
        private String previousTText = "0";
        private int previousTLine;

        Parse(String path, LineSource lines) {
            this.path = path;
            this.lines = lines;
        }

        Scenario run() throws ScenarioFormatException, IOException {
            String first = nextLine();
            if (first == null) {
                throw new ScenarioFormatException(path, 1, "empty file; line 1 must be the scenario header");
            }
            if (first.startsWith("\uFEFF")) {
                first = first.substring(1);
            }
            if (first.isBlank()) {
                throw new ScenarioFormatException(path, 1, "line 1 is blank; it must be the scenario header");
            }
            Scenario header;
            try {
                header = header(json(first));
            } catch (BadField e) {
                throw new ScenarioFormatException(path, 1, e.getMessage());
            }
            for (String line = nextLine(); line != null; line = nextLine()) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    line(json(line), lines.lineNumber());
                } catch (BadField e) {
                    throw new ScenarioFormatException(path, lines.lineNumber(), e.getMessage());
                }
            }
            return new Scenario(path, header.name(), header.description(), header.start(), header.topology(),
                    observations, expectations);
        }

        private String nextLine() throws ScenarioFormatException, IOException {
            try {
                return lines.next();
            } catch (LineSource.Unreadable e) {
                throw new ScenarioFormatException(path, lines.lineNumber(), e.getMessage());
            } catch (CharacterCodingException e) {
                throw new ScenarioFormatException(path, Math.max(1, lines.lineNumber()),
                        "cannot decode the text: " + Text.clean(e.getMessage(), 200));
            }
        }

        /** The header, as a scenario with no observations yet. */
        private Scenario header(JsonNode h) throws BadField {
            if (h.isObject() && !h.has("scenario") && (h.has("t") || KINDS.stream().anyMatch(h::has))) {
                throw new BadField("line 1 must be the scenario header, found an observation");
            }
            if (!h.isObject()) {
                throw new BadField("line 1 must be the scenario header, an object; was " + Text.describe(h));
            }
            Fields f = Fields.of(h, "", Set.copyOf(HEADER_FIELDS),
                    "the header holds " + String.join(", ", HEADER_FIELDS));
            String name = f.requiredNonEmptyString("scenario");
            String description = f.optionalString("description");
            f.required("start");
            Instant start = f.optionalInstant("start");
            startMillis = start.toEpochMilli();
            Topology topology = f.has("topology") ? topology(f.get("topology")) : Topology.EMPTY;
            return new Scenario(path, name, description, start, topology, List.of(), List.of());
        }

        private Topology topology(JsonNode node) throws BadField {
            Fields f = Fields.of(node, "topology", List.of("services"));
            if (!f.has("services")) {
                return Topology.EMPTY;
            }
            JsonNode list = f.get("services");
            if (!list.isArray()) {
                throw BadField.at("topology.services", "must be a list of services, was " + Text.describe(list));
            }
            List<ServiceNode> services = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                Fields s = Fields.of(list.get(i), "topology.services[" + i + "]", SERVICE_FIELDS);
                String name = s.requiredNonEmptyString("name");
                if (!names.add(name)) {
                    throw BadField.at(s.pathOf("name"), "duplicate service " + Text.quote(name));
                }
                services.add(new ServiceNode(name, s.optionalString("kind"), s.stringList("hosts"),
                        s.stringList("depends_on")));
            }
            return new Topology(services);
        }

        private void line(JsonNode node, int lineNumber) throws BadField {
            if (!node.isObject()) {
                throw new BadField("a line must be a JSON object, was " + Text.describe(node));
            }
            Fields line = Fields.of(node, "", LINE_FIELDS, LINE_EXPECTED);
            List<String> kinds = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (KINDS.contains(field.getKey())) {
                    kinds.add(field.getKey());
                }
            }
            if (kinds.isEmpty()) {
                throw new BadField("no observation; " + ONE_KIND);
            }
            if (kinds.size() > 1) {
                throw new BadField(kinds.get(0) + " and " + kinds.get(1) + " on one line; " + ONE_KIND);
            }
            String kind = kinds.get(0);
            JsonNode tNode = line.get("t");
            if (kind.equals("expect")) {
                if (tNode != null) {
                    t(tNode);
                }
                expectations.add(expectation(node.get("expect"), lineNumber));
                return;
            }
            if (tNode == null) {
                throw BadField.at("t", "missing required field");
            }
            double t = t(tNode);
            if (t < previousT) {
                throw BadField.at("t", Text.describe(tNode) + " is less than " + previousTText + " on line "
                        + previousTLine + "; lines must be in non-decreasing t");
            }
            long time;
            try {
                time = Math.addExact(startMillis, Math.round(t * 1000));
            } catch (ArithmeticException e) {
                throw BadField.at("t", "too large for a time after start, was " + Text.describe(tNode));
            }
            JsonNode body = node.get(kind);
            Telemetry telemetry = switch (kind) {
                case "metric" -> metric(body, time);
                case "log" -> log(body, time);
                case "span" -> span(body, time);
                case "alert" -> alert(body, time);
                case "event" -> event(body, time);
                default -> throw new IllegalStateException("unhandled kind " + kind);
            };
            observations.add(new Observation(t, telemetry));
            previousT = t;
            previousTText = Text.describe(tNode);
            previousTLine = lineNumber;
        }

        private static double t(JsonNode tNode) throws BadField {
            double t = Fields.number("t", tNode);
            if (t < 0) {
                throw BadField.at("t", "must be >= 0, was " + Text.describe(tNode));
            }
            if (t * 1000 >= MAX_T_MILLIS) {
                throw BadField.at("t", "too large for a time after start, was " + Text.describe(tNode));
            }
            return t;
        }

        private static MetricSample metric(JsonNode node, long time) throws BadField {
            Fields m = Fields.of(node, "metric", METRIC_FIELDS);
            String name = m.requiredString("name");
            if (!METRIC_NAME.matcher(name).matches()) {
                throw BadField.at("metric.name", "must match " + METRIC_NAME.pattern() + ", was " + Text.quote(name));
            }
            Map<String, String> labels = m.stringMap("labels", true);
            for (String label : labels.keySet()) {
                if (!LABEL_NAME.matcher(label).matches()) {
                    throw BadField.at(Text.child("metric.labels", label),
                            "label name must match " + LABEL_NAME.pattern());
                }
            }
            double value = m.requiredNumber("value");
            MetricType type = MetricType.GAUGE;
            if (m.has("type")) {
                type = MetricType.valueOf(m.requiredChoice("type", List.of("gauge", "counter"))
                        .toUpperCase(Locale.ROOT));
            }
            return new MetricSample(name, Labels.of(labels), value, type, time);
        }

        private static LogRecord log(JsonNode node, long time) throws BadField {
            Fields l = Fields.of(node, "log", LOG_FIELDS);
            String service = l.requiredString("service");
            String host = l.requiredString("host");
            String severityText = l.requiredString("severity");
            Severity severity = Severity.parse(severityText);
            if (severity == null) {
                throw BadField.at("log.severity", "unknown severity " + Text.quote(severityText)
                        + "; expected TRACE, DEBUG, INFO, WARN, ERROR or FATAL");
            }
            String body = l.requiredString("body");
            return new LogRecord(service, host, severity, body, l.attributes("attributes"), time);
        }

        private static SpanRecord span(JsonNode node, long time) throws BadField {
            Fields s = Fields.of(node, "span", SPAN_FIELDS);
            String service = s.requiredString("service");
            String name = s.requiredString("name");
            SpanKind kind = SpanKind.valueOf(s.requiredChoice("kind", SPAN_KINDS).toUpperCase(Locale.ROOT));
            double duration = s.requiredNonNegative("duration_ms");
            SpanStatus status = SpanStatus.valueOf(s.requiredChoice("status", SPAN_STATUSES).toUpperCase(Locale.ROOT));
            return new SpanRecord(service, name, kind, duration, status, s.optionalString("trace_id"),
                    s.optionalString("span_id"), s.optionalString("parent_span_id"), s.attributes("attributes"),
                    time);
        }

        private static Alert alert(JsonNode node, long time) throws BadField {
            Fields a = Fields.of(node, "alert", ALERT_FIELDS);
            String status = a.requiredChoice("status", List.of("firing", "resolved"));
            Map<String, String> labels = a.stringMap("labels", true);
            Map<String, String> annotations = a.stringMap("annotations", false);
            Instant startsAt = a.optionalInstant("startsAt");
            return new Alert(status, Labels.of(labels), annotations,
                    startsAt == null ? time : startsAt.toEpochMilli(), time);
        }

        private static ChangeEvent event(JsonNode node, long time) throws BadField {
            Fields e = Fields.of(node, "event", EVENT_FIELDS);
            ChangeType type = ChangeType.parse(e.requiredChoice("type", CHANGE_TYPES));
            String service = e.optionalString("service");
            String host = e.optionalString("host");
            if ((service == null || service.isEmpty()) && (host == null || host.isEmpty())) {
                throw BadField.at("event", "needs a service or a host");
            }
            return new ChangeEvent(type, service, host, e.optionalString("version"), e.attributes("attributes"),
                    time);
        }

        private static Expectation expectation(JsonNode node, int line) throws BadField {
            if (!node.isObject()) {
                throw BadField.at("expect", "must be an object, was " + Text.describe(node));
            }
            if (node.has("forbid")) {
                Fields.of(node, "expect", Set.of("forbid"), "forbid stands alone");
                Fields f = Fields.of(node.get("forbid"), "expect.forbid", FORBID_FIELDS);
                return new Expectation.Forbid(f.requiredNonEmptyString("playbook"), target(f), line);
            }
            if (node.has("none")) {
                Fields.of(node, "expect", Set.of("none"), "none stands alone");
                JsonNode none = node.get("none");
                if (!none.isBoolean() || !none.booleanValue()) {
                    throw BadField.at("expect.none", "must be true, was " + Text.describe(none));
                }
                return new Expectation.None(line);
            }
            Fields x = Fields.of(node, "expect", Set.copyOf(EXPECT_FIELDS),
                    "expected signature, decision, target, playbook; or forbid alone; or none alone");
            String signature = x.requiredNonEmptyString("signature");
            Set<String> decisions = decisions(x.required("decision"));
            Target target = target(x);
            String playbook = x.optionalString("playbook");
            if (playbook != null && playbook.isEmpty()) {
                throw BadField.at("expect.playbook", "must not be empty");
            }
            return new Expectation.Expect(signature, target, decisions, playbook, line);
        }

        private static Set<String> decisions(JsonNode node) throws BadField {
            Set<String> decisions = new LinkedHashSet<>();
            if (node.isTextual()) {
                decisions.add(decision("expect.decision", node));
            } else if (node.isArray() && !node.isEmpty()) {
                for (int i = 0; i < node.size(); i++) {
                    decisions.add(decision("expect.decision[" + i + "]", node.get(i)));
                }
            } else {
                throw BadField.at("expect.decision", "must be a decision or a non-empty list of decisions ("
                        + String.join(", ", Decisions.ALL) + "), was " + Text.describe(node));
            }
            return decisions;
        }

        private static String decision(String path, JsonNode node) throws BadField {
            String d = Fields.string(path, node);
            if (!Decisions.ALL.contains(d)) {
                throw BadField.at(path, "must be one of " + String.join(", ", Decisions.ALL) + ", was " + Text.quote(d));
            }
            return d;
        }

        /** The optional {@code target} of an expectation: an object of non-empty strings. */
        private static Target target(Fields f) throws BadField {
            Map<String, String> labels = f.stringMap("target", false);
            for (Map.Entry<String, String> e : labels.entrySet()) {
                if (e.getValue().isEmpty()) {
                    throw BadField.at(Text.child(f.pathOf("target"), e.getKey()), "must not be empty");
                }
            }
            return labels.isEmpty() ? Target.ANY : new Target(labels);
        }
    }

    private static JsonNode json(String line) throws BadField {
        try (JsonParser parser = JSON.createParser(line)) {
            JsonNode node = JSON.readTree(parser);
            if (parser.nextToken() != null) {
                throw new BadField("invalid JSON at column " + parser.currentTokenLocation().getColumnNr()
                        + ": unexpected text after the end of the value");
            }
            return node == null ? MissingNode.getInstance() : node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String column = at == null || at.getColumnNr() < 1 ? "" : " at column " + at.getColumnNr();
            String reason = JACKSON_LOCATION.matcher(String.valueOf(e.getOriginalMessage())).replaceAll("column $1");
            throw new BadField("invalid JSON" + column + ": " + Text.clean(reason, 200));
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from a string failed", e);
        }
    }

    private static Set<String> union(String first, List<String> rest) {
        Set<String> s = new HashSet<>(rest);
        s.add(first);
        return Set.copyOf(s);
    }
}
