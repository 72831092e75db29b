package dev.vigil.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.fact.LogRecord;
import dev.vigil.fact.Severity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyslogParserTest {
    private static final long RECEIVED = 1_714_564_800_000L;

    @Test
    void rfc5424WithStructuredDataAndBomBecomesARecord() throws Exception {
        LogRecord r = parse("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                + "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"][meta seq=\"7\"] "
                + "\uFEFFAn application event log entry...");

        assertEquals(new LogRecord("evntslog", "mymachine.example.com", Severity.INFO,
                "An application event log entry...",
                Map.of("facility", "local4", "msgid", "ID47", "sd.exampleSDID@32473.iut", "3",
                        "sd.exampleSDID@32473.eventSource", "Application", "sd.exampleSDID@32473.eventID", "1011",
                        "sd.meta.seq", "7"),
                Instant.parse("2003-10-11T22:14:15.003Z").toEpochMilli()), r);
    }

    @Test
    void structuredDataEscapesAreUndoneAndOtherBackslashesKept() throws Exception {
        LogRecord r = parse("<14>1 2024-05-01T12:00:00+02:00 h app 42 - "
                + "[x@1 path=\"C:\\\\tmp\\]\" quote=\"say \\\"hi\\\"\" other=\"a\\b\" utf=\"ünïcode\"] done");

        assertEquals("C:\\tmp]", r.attributes().get("sd.x@1.path"));
        assertEquals("say \"hi\"", r.attributes().get("sd.x@1.quote"));
        assertEquals("a\\b", r.attributes().get("sd.x@1.other"));
        assertEquals("ünïcode", r.attributes().get("sd.x@1.utf"));
        assertEquals("42", r.attributes().get("procid"));
        assertEquals(Instant.parse("2024-05-01T10:00:00Z").toEpochMilli(), r.timeMillis());
        assertEquals("done", r.body());
    }

    @Test
    void nilValuesLeaveFieldsEmptyAndTheRecordDatedOnReceipt() throws Exception {
        LogRecord r = parse("<34>1 - - - - - -");

        assertEquals(new LogRecord("", "", Severity.FATAL, "", Map.of("facility", "auth"), RECEIVED), r);
    }

    @Test
    void severityFollowsPriAsTheEnumReadsIt() throws Exception {
        Severity[] expected = {Severity.FATAL, Severity.FATAL, Severity.FATAL, Severity.ERROR, Severity.WARN,
                Severity.INFO, Severity.INFO, Severity.DEBUG};
        for (int code = 0; code < 8; code++) {
            assertEquals(expected[code], parse("<" + (8 + code) + ">1 - h a - - - m").severity(), "severity " + code);
        }
    }

    @Test
    void rfc3164AsRsyslogForwardsItByDefault() throws Exception {
        LogRecord nginx = parse("<30>Oct  1 09:05:07 web-1 nginx[812]: worker process 813 exited on signal 9\n");
        assertEquals(new LogRecord("nginx", "web-1", Severity.INFO, "worker process 813 exited on signal 9",
                Map.of("facility", "daemon", "procid", "812"), RECEIVED), nginx);

        LogRecord kernel = parse("<4>Oct 11 22:14:15 web-1 kernel: Out of memory: Killed process 4242 (java)");
        assertEquals(new LogRecord("kernel", "web-1", Severity.WARN, "Out of memory: Killed process 4242 (java)",
                Map.of("facility", "kern"), RECEIVED), kernel);

        LogRecord untagged = parse("<13>Oct 11 22:14:15 web-1 just some text");
        assertEquals("", untagged.service());
        assertEquals("just some text", untagged.body());
    }

    @Test
    void rsyslogForwardFormatKeepsItsRfc3339Timestamp() throws Exception {
        LogRecord r = parse("<11>2024-05-01T12:00:00.123456+02:00 db-1 postgres[99]: FATAL:  too many connections");

        assertEquals(Instant.parse("2024-05-01T10:00:00.123Z").toEpochMilli(), r.timeMillis());
        assertEquals("postgres", r.service());
        assertEquals("db-1", r.host());
        assertEquals(Severity.ERROR, r.severity());
        assertEquals("FATAL:  too many connections", r.body());
    }

    @Test
    void aLongBodyIsCutOnACharacterBoundaryAndMarked() throws Exception {
        IngestLimits tenBytes = new IngestLimits(1 << 20, 1 << 20, 64, 256, 4096, 10, 1000);
        LogRecord r = SyslogParser.parse("<14>1 - h a - - - ééééééé".getBytes(StandardCharsets.UTF_8), tenBytes, RECEIVED);

        assertEquals("ééééé", r.body(), "14 bytes cut to 10, no half character");
        assertEquals("true", r.attributes().get("vigil.truncated"));
    }

    @Test
    void invalidUtf8InMsgIsRefusedByName() {
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        msg.writeBytes("<14>1 - h a - - - bad ".getBytes(StandardCharsets.US_ASCII));
        msg.write(0xC3);
        msg.write(0x28);

        BadPayloadException e = assertThrows(BadPayloadException.class,
                () -> SyslogParser.parse(msg.toByteArray(), IngestLimits.DEFAULTS, RECEIVED));
        assertEquals("syslog: invalid UTF-8 in MSG", e.getMessage());
    }

    @Test
    void unreadableHeadersAreRefused() {
        for (String bad : new String[] {"no pri", "<192>1 - - - - - -", "<13>1 2024-05-01T12:00:00Z host", "<13>1 yesterday h a - - -",
                "<13>1 - h a - - [unterminated x=\"1\"", "<13>1 - h a - - [x y=1]", "<13>hello"}) {
            assertThrows(BadPayloadException.class, () -> parse(bad), bad);
        }
    }

    @Test
    void attributesOverTheLimitsRefuseTheMessage() {
        IngestLimits fewLabels = new IngestLimits(1 << 20, 1 << 20, 2, 256, 4096, 1024, 1000);
        assertThrows(BadPayloadException.class, () -> SyslogParser.parse(
                "<14>1 - h a 1 m - x".getBytes(StandardCharsets.UTF_8), fewLabels, RECEIVED), "facility, procid, msgid");
    }

    private static LogRecord parse(String message) throws BadPayloadException {
        return SyslogParser.parse(message.getBytes(StandardCharsets.UTF_8), IngestLimits.DEFAULTS, RECEIVED);
    }
}
