package dev.vigil.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.vigil.fact.Topology;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScenarioReaderTest {
    private static final long START = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
    private static final String HEADER = "{\"scenario\": \"s\", \"start\": \"2026-03-02T09:00:00Z\"}";

    private static Scenario allKinds() throws Exception {
        return ScenarioReader.read(resource("/scenario/all-kinds.jsonl"));
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(ScenarioReaderTest.class.getResource(name).toURI());
    }

    private static Scenario parse(String text) throws Exception {
        return ScenarioReader.parse("s.jsonl", new StringReader(text));
    }

    @Test
    void headerGivesNameDescriptionStartAndTopology() throws Exception {
        Scenario s = allKinds();

        assertEquals("all-kinds", s.name());
        assertEquals("one line of each kind", s.description());
        assertEquals(Instant.parse("2026-03-02T09:00:00Z"), s.start());
        assertEquals(new Topology(List.of(
                new ServiceNode("checkout", "", List.of("app-1", "app-2"), List.of("orders-db")),
                new ServiceNode("orders-db", "postgres", List.of("db-1"), List.of()))), s.topology());
        assertTrue(s.path().endsWith("all-kinds.jsonl"), s.path());
    }

    @Test
    void everyObservationKindBecomesItsFactAtStartPlusRoundedT() throws Exception {
        List<Observation> obs = allKinds().observations();

        assertEquals(List.of(
                new Observation(0, new MetricSample("hikaricp_connections_active",
                        Labels.of("service", "checkout", "host", "app-1", "pool", "HikariPool-1"), 10,
                        MetricType.GAUGE, START)),
                new Observation(0.5, new MetricSample("http_server_requests_seconds_count",
                        Labels.of("service", "checkout", "host", "app-1", "status", "500"), 803.5,
                        MetricType.COUNTER, START + 500)),
                new Observation(1.2346, new LogRecord("checkout", "app-1", Severity.ERROR,
                        "Connection is not available, request timed out after 30000ms.",
                        Map.of("logger", "com.zaxxer.hikari.pool.HikariPool", "thread", "42", "retry", "false",
                                "ratio", "0.25"), START + 1235)),
                new Observation(2, new SpanRecord("checkout", "SELECT orders", SpanKind.CLIENT, 30001.5,
                        SpanStatus.ERROR, "5cb48a1a6e64ebab42f05071bb65cfca", "f4e44b8ec8613d03", "54671fae667ded34",
                        Map.of("db.system", "postgresql", "host.name", "app-1"), START + 2000)),
                new Observation(2, new SpanRecord("checkout", "POST /checkout", SpanKind.SERVER, 0,
                        SpanStatus.UNSET, null, null, null, Map.of(), START + 2000)),
                new Observation(3, new Alert("firing", Labels.of("alertname", "HikariPoolSaturated",
                        "service", "checkout"), Map.of("summary", "pool saturated"),
                        Instant.parse("2026-03-02T08:59:30Z").toEpochMilli(), START + 3000)),
                new Observation(3.001, new Alert("resolved", Labels.of("alertname", "DiskFull", "host", "db-1"),
                        Map.of(), START + 3001, START + 3001)),
                new Observation(4, new ChangeEvent(ChangeType.DEPLOY, "checkout", null, "1.2.3",
                        Map.of("previous_version", "1.2.2"), START + 4000)),
                new Observation(5, new ChangeEvent(ChangeType.NODE_DRAIN, null, "app-2", null, Map.of(),
                        START + 5000))), obs);
    }

    @Test
    void expectLinesBecomeExpectationsWithTheirLineNumbers() throws Exception {
        assertEquals(List.of(
                new Expectation.Expect("db-connection-pool-exhaustion", Target.serviceHost("checkout", "app-1"),
                        Set.of("execute"), "recycle-connection-pool", 12),
                new Expectation.Expect("dependency-outage", Target.ANY, Set.of("approve", "execute"), null, 13),
                new Expectation.Forbid("restart-service", Target.of("host", "app-2"), 14),
                new Expectation.Forbid("rolling-restart-service", Target.ANY, 15),
                new Expectation.None(16)), allKinds().expectations());
    }

    @Test
    void expectLineTakesNoPartInTheTimeOrder() throws Exception {
        Scenario s = parse(HEADER + "\n"
                + "{\"t\": 10, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1}}\n"
                + "{\"t\": 2, \"expect\": {\"none\": true}}\n"
                + "{\"t\": 10, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 0}}\n");

        assertEquals(2, s.observations().size());
        assertEquals(List.of(new Expectation.None(3)), s.expectations());
    }

    @Test
    void optionalHeaderFieldsDefaultToEmpty() throws Exception {
        Scenario s = parse(HEADER);

        assertEquals("s", s.name());
        assertEquals("", s.description());
        assertEquals(Topology.EMPTY, s.topology());
        assertEquals(List.of(), s.observations());
        assertEquals(List.of(), s.expectations());
    }

    @Test
    void crlfLineEndingsAByteOrderMarkAndNoFinalNewlineAreAccepted() throws Exception {
        Scenario s = parse("\uFEFF" + HEADER + "\r\n"
                + "{\"t\": 1, \"log\": {\"service\": \"a\", \"host\": \"h\", \"severity\": \"warning\", \"body\": \"x\"}}\r\n"
                + "   \r\n"
                + "{\"t\": 2, \"log\": {\"service\": \"a\", \"host\": \"h\", \"severity\": \"INFO\", \"body\": \"y\"}}");

        assertEquals(List.of(
                new Observation(1, new LogRecord("a", "h", Severity.WARN, "x", Map.of(), START + 1000)),
                new Observation(2, new LogRecord("a", "h", Severity.INFO, "y", Map.of(), START + 2000))),
                s.observations());
    }

    @Test
    void untrustedStringsAreKeptExactlyAsWritten() throws Exception {
        String body = "line1\\nline2 \\u0000 \\\"quoted\\\" {{ .Values }} ${jndi:ldap://x} \\u202e";
        Scenario s = parse(HEADER + "\n"
                + "{\"t\": 0, \"log\": {\"service\": \"a\", \"host\": \"h\", \"severity\": \"ERROR\", \"body\": \""
                + body + "\"}}\n");

        LogRecord log = (LogRecord) s.observations().get(0).telemetry();
        assertEquals("line1\nline2 \u0000 \"quoted\" {{ .Values }} ${jndi:ldap://x} \u202e", log.body());
    }

    @Test
    void observationTimesRoundToTheNearestMillisecond() throws Exception {
        Scenario s = parse(HEADER + "\n"
                + "{\"t\": 0.0004, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1}}\n"
                + "{\"t\": 0.0006, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1}}\n"
                + "{\"t\": 86400, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1}}\n");

        assertEquals(List.of(START, START + 1, START + 86_400_000L),
                s.observations().stream().map(o -> o.telemetry().timeMillis()).toList());
    }

    @Test
    void alertWithoutStartsAtStartsAtItsObservationTime() throws Exception {
        Scenario s = parse(HEADER + "\n"
                + "{\"t\": 7, \"alert\": {\"status\": \"firing\", \"labels\": {\"alertname\": \"A\"}}}\n");

        Alert alert = (Alert) s.observations().get(0).telemetry();
        assertEquals(START + 7000, alert.startsAtMillis());
        assertEquals(START + 7000, alert.timeMillis());
        assertTrue(alert.firing());
    }

    @Test
    void spanWithoutIdsHasNullIds() throws Exception {
        Scenario s = parse(HEADER + "\n"
                + "{\"t\": 0, \"span\": {\"service\": \"a\", \"name\": \"n\", \"kind\": \"producer\", "
                + "\"duration_ms\": 1, \"status\": \"ok\"}}\n");

        SpanRecord span = (SpanRecord) s.observations().get(0).telemetry();
        assertNull(span.traceId());
        assertNull(span.parentSpanId());
        assertEquals(SpanKind.PRODUCER, span.kind());
    }
}
