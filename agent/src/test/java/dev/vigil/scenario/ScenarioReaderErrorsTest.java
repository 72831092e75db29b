package dev.vigil.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioReaderErrorsTest {
    private static final String HEADER = "{\"scenario\": \"s\", \"start\": \"2026-03-02T09:00:00Z\"}";
    private static final String UP = "{\"t\": 1, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1}}";

    private static ScenarioFormatException error(String text) {
        return assertThrows(ScenarioFormatException.class,
                () -> ScenarioReader.parse("bad.jsonl", new StringReader(text)));
    }

    /** The message for a file of the header and then {@code line} on line 2. */
    private static String messageFor(String line) {
        return error(HEADER + "\n" + line + "\n").getMessage();
    }

    @Test
    void unknownKeyOnALineIsNamed() {
        assertEquals("bad.jsonl:2: unknown field \"foo\"; a line holds t and one of metric, log, span, alert, event,"
                + " expect", messageFor("{\"t\": 1, \"foo\": 2, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1}}"));
    }

    @Test
    void unknownKeyInsideAnObservationIsNamedWithItsKind() {
        assertEquals("bad.jsonl:2: metric: unknown field \"unit\"; expected name, labels, value, type",
                messageFor("{\"t\": 1, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1, \"unit\": \"s\"}}"));
    }

    @Test
    void twoObservationKeysOnOneLineAreRefused() {
        assertEquals("bad.jsonl:2: metric and log on one line; a line holds exactly one of metric, log, span, alert,"
                        + " event, expect",
                messageFor("{\"t\": 1, \"metric\": {}, \"log\": {}}"));
    }

    @Test
    void decreasingTNamesThePreviousLine() {
        ScenarioFormatException e = error(HEADER + "\n"
                + "{\"t\": 5, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1}}\n"
                + "\n"
                + "{\"t\": 4.5, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1}}\n");

        assertEquals("bad.jsonl:4: t: 4.5 is less than 5 on line 2; lines must be in non-decreasing t", e.getMessage());
        assertEquals("bad.jsonl", e.file());
        assertEquals(4, e.line());
    }

    @Test
    void aNumberAsALabelValueIsRefused() {
        assertEquals("bad.jsonl:2: metric.labels.host: must be a string, was 3",
                messageFor("{\"t\": 1, \"metric\": {\"name\": \"up\", \"labels\": {\"service\": \"a\", \"host\": 3}, \"value\": 1}}"));
    }

    @Test
    void unknownSeverityIsRefused() {
        assertEquals("bad.jsonl:2: log.severity: unknown severity \"LOUD\"; expected TRACE, DEBUG, INFO, WARN, ERROR"
                        + " or FATAL",
                messageFor("{\"t\": 1, \"log\": {\"service\": \"a\", \"host\": \"h\", \"severity\": \"LOUD\", \"body\": \"x\"}}"));
    }

    @Test
    void invalidJsonGivesJacksonsShortReasonAndColumn() {
        assertEquals("bad.jsonl:2: invalid JSON at column 31: Unexpected character ('}' (code 125)): was expecting"
                        + " double-quote to start field name",
                messageFor("{\"t\": 1, \"metric\": {\"name\": 1,}}"));
    }

    @Test
    void missingHeaderFieldIsNamed() {
        assertEquals("bad.jsonl:1: start: missing required field", error("{\"scenario\": \"s\"}\n" + UP).getMessage());
    }

    @Test
    void unknownHeaderKeyIsNamed() {
        assertEquals("bad.jsonl:1: unknown field \"owner\"; the header holds scenario, description, start, topology",
                error("{\"scenario\": \"s\", \"start\": \"2026-03-02T09:00:00Z\", \"owner\": \"me\"}").getMessage());
    }

    @Test
    void aStringWhereANumberBelongsIsQuotedInTheMessage() {
        assertEquals("bad.jsonl:7: metric.value: must be a number, was \"abc\"",
                error(HEADER + "\n" + UP + "\n" + UP + "\n" + UP + "\n" + UP + "\n" + UP + "\n"
                        + "{\"t\": 1, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": \"abc\"}}").getMessage());
    }

    @Test
    void anEmptyFileIsAnErrorAtLineOne() {
        assertEquals("bad.jsonl:1: empty file; line 1 must be the scenario header", error("").getMessage());
    }

    @Test
    void aFileThatStartsWithAnObservationHasNoHeader() {
        assertEquals("bad.jsonl:1: line 1 must be the scenario header, found an observation",
                error(UP + "\n" + UP).getMessage());
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedWhileReading() {
        String longLine = "{\"t\": 1, \"log\": {\"service\": \"a\", \"host\": \"h\", \"severity\": \"INFO\", \"body\": \""
                + "x".repeat(LineSource.MAX_LINE) + "\"}}";
        ScenarioFormatException e = error(HEADER + "\n" + UP + "\n" + longLine + "\n" + UP);

        assertEquals("bad.jsonl:3: line longer than 1 MiB (1048576 characters)", e.getMessage());
    }

    @Test
    void aLineOfExactlyTheLimitIsAccepted() throws Exception {
        String line = "{\"t\": 1, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1}}";
        Scenario s = ScenarioReader.parse("ok.jsonl", new StringReader(HEADER + "\r\n" + line + "\r\n"),
                line.length());

        assertEquals(1, s.observations().size());
        ScenarioFormatException e = assertThrows(ScenarioFormatException.class, () -> ScenarioReader.parse(
                "bad.jsonl", new StringReader(HEADER + "\n" + line + " \n"), line.length()));
        assertEquals("bad.jsonl:2: line longer than 1 MiB (" + line.length() + " characters)", e.getMessage());
    }

    @Test
    void aFileLineLongerThanOneMebibyteIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("long.jsonl");
        Files.writeString(file, HEADER + "\n" + "{\"t\": 1, \"x\": \"" + "é".repeat(LineSource.MAX_LINE / 2) + "\"}\n");

        ScenarioFormatException e = assertThrows(ScenarioFormatException.class, () -> ScenarioReader.read(file));
        assertEquals(file + ":2: line longer than 1 MiB (1048576 bytes)", e.getMessage());
    }

    @Test
    void invalidUtf8IsReportedOnItsOwnLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latin1.jsonl");
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < 500; i++) { // far more than one read buffer before the bad byte
            text.append(UP).append('\n');
        }
        byte[] good = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bad = "{\"t\": 1, \"log\": {\"service\": \"caf\u00e9\"}}\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[good.length + bad.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        Files.write(file, all);

        ScenarioFormatException e = assertThrows(ScenarioFormatException.class, () -> ScenarioReader.read(file));
        assertEquals(file + ":502: not valid UTF-8", e.getMessage());
        assertEquals(502, e.line());
        assertEquals(file.toString(), e.file());
    }

    @Test
    void untrustedTextInAMessageIsEscapedAndShortened() {
        String message = messageFor("{\"t\": 1, \"log\": {\"service\": \"a\", \"host\": \"h\", \"severity\": "
                + "\"x\\nbad.jsonl:9: forged\\u202e" + "y".repeat(100) + "\", \"body\": \"b\"}}");

        assertEquals("bad.jsonl:2: log.severity: unknown severity \"x\\nbad.jsonl:9: forged\\u202e"
                + "y".repeat(Text.MAX_QUOTED - 22) + "…\"; expected TRACE, DEBUG, INFO, WARN, ERROR or FATAL", message);
    }

    static Stream<Arguments> malformedLines() {
        return Stream.of(
                Arguments.of("a line with no observation", "{\"t\": 1}",
                        "no observation; a line holds exactly one of metric, log, span, alert, event, expect"),
                Arguments.of("a line that is not an object", "[1, 2]", "a line must be a JSON object, was an array"),
                Arguments.of("a duplicate key", "{\"t\": 1, \"t\": 2, \"metric\": {}}",
                        "invalid JSON at column 13: Duplicate field 't'"),
                Arguments.of("text after the object", UP + " {}",
                        "invalid JSON at column 62: unexpected text after the end of the value"),
                Arguments.of("a stray word after the object", UP + " x",
                        "invalid JSON at column 62: Unrecognized token 'x': was expecting (JSON String, Number, Array,"
                                + " Object or token 'null', 'true' or 'false')"),
                Arguments.of("an observation without t",
                        "{\"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1}}", "t: missing required field"),
                Arguments.of("a negative t", "{\"t\": -1, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1}}",
                        "t: must be >= 0, was -1"),
                Arguments.of("a t given as a string",
                        "{\"t\": \"1\", \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1}}",
                        "t: must be a number, was \"1\""),
                Arguments.of("a t too large to be a time",
                        "{\"t\": 1e300, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1}}",
                        "t: too large for a time after start, was 1.0E300"),
                Arguments.of("an infinite value",
                        "{\"t\": 1, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1e999}}",
                        "metric.value: must be a finite number, was Infinity"),
                Arguments.of("an expect line with an invalid t", "{\"t\": \"soon\", \"expect\": {\"none\": true}}",
                        "t: must be a number, was \"soon\""),
                Arguments.of("a metric name outside the Prometheus syntax",
                        "{\"t\": 1, \"metric\": {\"name\": \"http.requests\", \"labels\": {}, \"value\": 1}}",
                        "metric.name: must match [a-zA-Z_:][a-zA-Z0-9_:]*, was \"http.requests\""),
                Arguments.of("a label name outside the Prometheus syntax",
                        "{\"t\": 1, \"metric\": {\"name\": \"up\", \"labels\": {\"a=b\": \"c\"}, \"value\": 1}}",
                        "metric.labels[\"a=b\"]: label name must match [a-zA-Z_][a-zA-Z0-9_]*"),
                Arguments.of("metric labels missing", "{\"t\": 1, \"metric\": {\"name\": \"up\", \"value\": 1}}",
                        "metric.labels: missing required field"),
                Arguments.of("an unknown metric type",
                        "{\"t\": 1, \"metric\": {\"name\": \"up\", \"labels\": {}, \"value\": 1, \"type\": \"histogram\"}}",
                        "metric.type: must be one of gauge, counter, was \"histogram\""),
                Arguments.of("a log without a host",
                        "{\"t\": 1, \"log\": {\"service\": \"a\", \"severity\": \"INFO\", \"body\": \"x\"}}",
                        "log.host: missing required field"),
                Arguments.of("a nested log attribute",
                        "{\"t\": 1, \"log\": {\"service\": \"a\", \"host\": \"h\", \"severity\": \"INFO\", \"body\": \"x\","
                                + " \"attributes\": {\"exception.detail\": {\"a\": 1}}}}",
                        "log.attributes[\"exception.detail\"]: must be a string, number or boolean, was an object"),
                Arguments.of("a null log attribute",
                        "{\"t\": 1, \"log\": {\"service\": \"a\", \"host\": \"h\", \"severity\": \"INFO\", \"body\": \"x\","
                                + " \"attributes\": {\"k\": null}}}",
                        "log.attributes.k: must be a string, number or boolean, was null"),
                Arguments.of("an unknown span kind",
                        "{\"t\": 1, \"span\": {\"service\": \"a\", \"name\": \"n\", \"kind\": \"SERVER\", \"duration_ms\": 1,"
                                + " \"status\": \"ok\"}}",
                        "span.kind: must be one of server, client, internal, producer, consumer, was \"SERVER\""),
                Arguments.of("a negative span duration",
                        "{\"t\": 1, \"span\": {\"service\": \"a\", \"name\": \"n\", \"kind\": \"server\", \"duration_ms\": -0.5,"
                                + " \"status\": \"ok\"}}",
                        "span.duration_ms: must be >= 0, was -0.5"),
                Arguments.of("an unknown span status",
                        "{\"t\": 1, \"span\": {\"service\": \"a\", \"name\": \"n\", \"kind\": \"server\", \"duration_ms\": 1,"
                                + " \"status\": \"failed\"}}",
                        "span.status: must be one of ok, error, unset, was \"failed\""),
                Arguments.of("a host field on a span",
                        "{\"t\": 1, \"span\": {\"service\": \"a\", \"host\": \"h\", \"name\": \"n\", \"kind\": \"server\","
                                + " \"duration_ms\": 1, \"status\": \"ok\"}}",
                        "span: unknown field \"host\"; expected service, name, kind, duration_ms, status, trace_id,"
                                + " span_id, parent_span_id, attributes"),
                Arguments.of("a null trace id",
                        "{\"t\": 1, \"span\": {\"service\": \"a\", \"name\": \"n\", \"kind\": \"server\", \"duration_ms\": 1,"
                                + " \"status\": \"ok\", \"trace_id\": null}}",
                        "span.trace_id: must be a string, was null"),
                Arguments.of("an unknown alert status",
                        "{\"t\": 1, \"alert\": {\"status\": \"pending\", \"labels\": {}}}",
                        "alert.status: must be one of firing, resolved, was \"pending\""),
                Arguments.of("an alert startsAt that is not an instant",
                        "{\"t\": 1, \"alert\": {\"status\": \"firing\", \"labels\": {}, \"startsAt\": \"yesterday\"}}",
                        "alert.startsAt: must be an ISO-8601 instant such as 2026-03-02T09:00:00Z, was \"yesterday\""),
                Arguments.of("an alert annotation that is a number",
                        "{\"t\": 1, \"alert\": {\"status\": \"firing\", \"labels\": {}, \"annotations\": {\"value\": 0.9}}}",
                        "alert.annotations.value: must be a string, was 0.9"),
                Arguments.of("an alert field of the webhook this format does not carry",
                        "{\"t\": 1, \"alert\": {\"status\": \"firing\", \"labels\": {}, \"endsAt\": \"x\"}}",
                        "alert: unknown field \"endsAt\"; expected status, labels, annotations, startsAt"),
                Arguments.of("an unknown event type", "{\"t\": 1, \"event\": {\"type\": \"reboot\", \"host\": \"h\"}}",
                        "event.type: must be one of deploy, config_change, scale, restart, node_drain, was \"reboot\""),
                Arguments.of("an event with neither service nor host", "{\"t\": 1, \"event\": {\"type\": \"scale\"}}",
                        "event: needs a service or a host"),
                Arguments.of("an expect with an unknown decision",
                        "{\"expect\": {\"signature\": \"s\", \"decision\": \"run\"}}",
                        "expect.decision: must be one of execute, approve, notify, suppress, was \"run\""),
                Arguments.of("an expect with an unknown decision in a list",
                        "{\"expect\": {\"signature\": \"s\", \"decision\": [\"execute\", \"EXECUTE\"]}}",
                        "expect.decision[1]: must be one of execute, approve, notify, suppress, was \"EXECUTE\""),
                Arguments.of("an expect with an empty decision list",
                        "{\"expect\": {\"signature\": \"s\", \"decision\": []}}",
                        "expect.decision: must be a decision or a non-empty list of decisions (execute, approve, notify,"
                                + " suppress), was an array"),
                Arguments.of("an expect without a decision", "{\"expect\": {\"signature\": \"s\"}}",
                        "expect.decision: missing required field"),
                Arguments.of("an expect target with a number",
                        "{\"expect\": {\"signature\": \"s\", \"decision\": \"execute\", \"target\": {\"host\": 1}}}",
                        "expect.target.host: must be a string, was 1"),
                Arguments.of("an expect target with an empty value",
                        "{\"expect\": {\"signature\": \"s\", \"decision\": \"execute\", \"target\": {\"host\": \"\"}}}",
                        "expect.target.host: must not be empty"),
                Arguments.of("an expect with an unknown field",
                        "{\"expect\": {\"signature\": \"s\", \"decision\": \"execute\", \"confidence\": 0.9}}",
                        "expect: unknown field \"confidence\"; expected signature, decision, target, playbook; or forbid"
                                + " alone; or none alone"),
                Arguments.of("a forbid mixed with a signature",
                        "{\"expect\": {\"signature\": \"s\", \"forbid\": {\"playbook\": \"p\"}}}",
                        "expect: unknown field \"signature\"; forbid stands alone"),
                Arguments.of("a forbid without a playbook", "{\"expect\": {\"forbid\": {\"target\": {\"host\": \"h\"}}}}",
                        "expect.forbid.playbook: missing required field"),
                Arguments.of("a none that is not true", "{\"expect\": {\"none\": false}}",
                        "expect.none: must be true, was false"),
                Arguments.of("an expect that is a string", "{\"expect\": \"none\"}",
                        "expect: must be an object, was \"none\""));
    }

    @ParameterizedTest(name = "{0} is refused with its field named")
    @MethodSource("malformedLines")
    void malformedLineIsRefusedWithItsFieldNamed(String what, String line, String expected) {
        assertEquals("bad.jsonl:2: " + expected, messageFor(line));
    }

    static Stream<Arguments> malformedHeaders() {
        return Stream.of(
                Arguments.of("a blank first line", "\n" + HEADER, "line 1 is blank; it must be the scenario header"),
                Arguments.of("a header that is not an object", "[]",
                        "line 1 must be the scenario header, an object; was an array"),
                Arguments.of("an empty scenario name", "{\"scenario\": \"\", \"start\": \"2026-03-02T09:00:00Z\"}",
                        "scenario: must not be empty"),
                Arguments.of("a start that is not an instant", "{\"scenario\": \"s\", \"start\": \"2026-03-02 09:00\"}",
                        "start: must be an ISO-8601 instant such as 2026-03-02T09:00:00Z, was \"2026-03-02 09:00\""),
                Arguments.of("a start beyond epoch milliseconds",
                        "{\"scenario\": \"s\", \"start\": \"+1000000000-01-01T00:00:00Z\"}",
                        "start: out of range, was \"+1000000000-01-01T00:00:00Z\""),
                Arguments.of("a description that is not a string",
                        "{\"scenario\": \"s\", \"description\": 1, \"start\": \"2026-03-02T09:00:00Z\"}",
                        "description: must be a string, was 1"),
                Arguments.of("an unknown topology field",
                        "{\"scenario\": \"s\", \"start\": \"2026-03-02T09:00:00Z\", \"topology\": {\"nodes\": []}}",
                        "topology: unknown field \"nodes\"; expected services"),
                Arguments.of("a service without a name",
                        "{\"scenario\": \"s\", \"start\": \"2026-03-02T09:00:00Z\", \"topology\": {\"services\": [{\"hosts\": []}]}}",
                        "topology.services[0].name: missing required field"),
                Arguments.of("a host that is not a string",
                        "{\"scenario\": \"s\", \"start\": \"2026-03-02T09:00:00Z\", \"topology\": {\"services\":"
                                + " [{\"name\": \"a\", \"hosts\": [\"h\", 2]}]}}",
                        "topology.services[0].hosts[1]: must be a string, was 2"),
                Arguments.of("an unknown service field",
                        "{\"scenario\": \"s\", \"start\": \"2026-03-02T09:00:00Z\", \"topology\": {\"services\":"
                                + " [{\"name\": \"a\", \"dependsOn\": []}]}}",
                        "topology.services[0]: unknown field \"dependsOn\"; expected name, kind, hosts, depends_on"),
                Arguments.of("a service named twice",
                        "{\"scenario\": \"s\", \"start\": \"2026-03-02T09:00:00Z\", \"topology\": {\"services\":"
                                + " [{\"name\": \"a\"}, {\"name\": \"a\"}]}}",
                        "topology.services[1].name: duplicate service \"a\""),
                Arguments.of("invalid JSON", "{\"scenario\": \"s\"", "invalid JSON at column 17: Unexpected end-of-input:"
                        + " expected close marker for Object (start marker at column 1)"));
    }

    @ParameterizedTest(name = "a header with {0} is refused at line 1")
    @MethodSource("malformedHeaders")
    void malformedHeaderIsRefusedAtLineOne(String what, String text, String expected) {
        assertEquals("bad.jsonl:1: " + expected, error(text).getMessage());
    }
}
