package dev.vigil.condense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.Labels;
import dev.vigil.fact.LogRecord;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.fact.Severity;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogTemplatesTest {
    @Test
    void numbersThatVaryMakeOneTemplate() {
        assertEquals(LogTemplates.template("HikariPool-1 - Connection is not available, request timed out after 30000ms."),
                LogTemplates.template("HikariPool-1 - Connection is not available, request timed out after 5000ms."));
    }

    @Test
    void hostsAddressesIdsAndPathsAreMasked() {
        assertEquals("java.net.UnknownHostException: <host>: Temporary failure in name resolution",
                LogTemplates.template("java.net.UnknownHostException: smtp.internal: Temporary failure in name resolution"));
        assertEquals("Unable to connect to cache/<ip>",
                LogTemplates.template("Unable to connect to cache/10.0.4.7:6379"));
        assertEquals("request <uuid> failed reading <path>",
                LogTemplates.template("request 123e4567-e89b-12d3-a456-426614174000 failed reading /var/lib/app/data.db"));
    }

    @Test
    void javaClassNamesSurvive() {
        assertTrue(LogTemplates.template("java.lang.OutOfMemoryError: Java heap space").startsWith("java.lang.OutOfMemoryError"));
    }

    @Test
    void controlCharactersAndHugeLinesAreTamed() {
        String hostile = "line one\nline two\r\u0000 $(reboot) " + "x".repeat(100_000);
        String t = LogTemplates.template(hostile);
        assertTrue(t.length() <= 300, "length " + t.length());
        assertTrue(t.chars().noneMatch(c -> c == '\n' || c == '\r' || c == 0));
    }

    @Test
    void receiversTemplateTheCutBodyAndPassSamplesOnAsTheyAre() {
        LogRecord raw = new LogRecord("checkout", "app-1", Severity.ERROR, "timed out after 30000ms " + "y".repeat(50), Map.of(), 1_000);
        LogRecord templated = (LogRecord) BeforeQueue.prepare(raw, 24);
        assertEquals("timed out after <n>ms", templated.template(), "the body is cut to 24 characters first, as condense cuts it");
        assertEquals(raw.body(), templated.body());
        assertSame(templated, BeforeQueue.prepare(templated, 24), "a templated record is not templated twice");
        MetricSample m = new MetricSample("up", Labels.of("job", "node"), 1, MetricType.GAUGE, 0);
        assertSame(m, BeforeQueue.prepare(m, 24), "a sample is the same sample, its hash codes cached");
    }

    @Test
    void skippingPassesThatCannotMatchChangesNoTemplate() {
        String[] words = {"0x1f", "deadbeef", "12ab", "ab12", "a1", "0", "x", "10.0.3.7", "10.0.3.7:6379", "db-1.internal",
            "/var/lib/app/data.db", "http://a.b/c?d=1", "123e4567-e89b-12d3-a456-426614174000", "order.created", "id=42",
            "-3.5", "+7", "1,234.5", "java.net.UnknownHostException", "  ", "\t", "\n", "\u0000", "\u2003", "\u001c",
            " ", "Fa", "cafe", "CAFE9", "9z", ":", "/", ".", "-", "timed", "out", "after", "30000ms", "HikariPool-1"};
        Random r = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder m = new StringBuilder();
            for (int k = r.nextInt(9); k >= 0; k--) {
                m.append(words[r.nextInt(words.length)]);
                if (r.nextBoolean()) {
                    m.append(' ');
                }
            }
            String message = m.toString();
            assertEquals(LogTemplates.templateWithEveryPass(message), LogTemplates.template(message), "for \"" + message + "\"");
        }
    }
}
