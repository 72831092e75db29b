package dev.vigil.condense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
