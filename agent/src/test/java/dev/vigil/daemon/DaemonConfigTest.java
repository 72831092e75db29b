package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import dev.vigil.testing.Repo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonConfigTest {
    @Test
    void noConfigurationMeansLoopbackHostProbeAndDryRunDefaults() {
        DaemonConfig d = DaemonConfig.defaults();
        assertEquals("127.0.0.1", d.listen().host());
        assertEquals(DaemonConfig.DEFAULT_PORT, d.listen().port());
        assertTrue(d.hostProbe().enabled());
        assertEquals(Duration.ofSeconds(15), d.hostProbe().interval());
        assertTrue(d.scrape().isEmpty());
        assertTrue(d.syslog().isEmpty());
        assertTrue(d.tracingEndpoint().isEmpty());
        assertEquals("plain", d.logFormat());
    }

    @Test
    void theShippedExampleIsValidAndReadAsWritten() throws Exception {
        DaemonConfig c = DaemonConfig.load(Repo.root().resolve("deploy/config/vigil.yaml"));
        assertEquals(9795, c.listen().port());
        assertEquals("node", c.scrape().get(0).job());
        assertEquals(Duration.ofSeconds(5), c.scrape().get(0).timeout());
        assertEquals(5514, c.syslog().orElseThrow().port());
        assertEquals(Path.of("/var/log/myapp/app.log"), c.tail().get(0).path());
        assertEquals(List.of("orders-db"), c.topology().service("checkout").orElseThrow().dependsOn());
        assertEquals(Duration.ofMinutes(15), c.learnedEdgeTtl());
        assertTrue(c.tracingEndpoint().isPresent());
    }

    @Test
    void everyErrorIsListedWithItsLineAndField() {
        ContentException e = assertThrows(ContentException.class, () -> DaemonConfig.parse(new ContentFile("bad.yaml", """
                listen: {host: 127.0.0.1, port: 99999}
                mode: live
                host_probe:
                  interval: soon
                scrape:
                  - {url: "ftp://x", job: node}
                colour: blue
                """)));
        List<String> lines = e.errors().stream().map(ContentError::toString).toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:1: listen.port")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:2: mode")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:4: host_probe.interval")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:6: scrape[0].url") || l.startsWith("bad.yaml:6: scrape.0.url")),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("colour")), lines.toString());
        assertEquals(5, lines.size(), lines.toString());
    }

    @Test
    void crossFieldMistakesAreNamed() {
        ContentException e = assertThrows(ContentException.class, () -> DaemonConfig.parse(new ContentFile("bad.yaml", """
                ingest: {queue_capacity: 10, max_items_per_request: 100}
                scrape:
                  - {url: "http://127.0.0.1:9100/metrics", job: node, interval: 5s, timeout: 10s}
                topology:
                  services:
                    - {name: a, depends_on: [a]}
                    - {name: a}
                """)));
        String all = e.errors().toString();
        assertTrue(all.contains("queue_capacity"), all);
        assertTrue(all.contains("must not be longer than the interval"), all);
        assertTrue(all.contains("cannot depend on itself"), all);
        assertTrue(all.contains("listed twice"), all);
        assertEquals(4, e.errors().size(), all);
    }

    @Test
    void brokenYamlNamesTheLine() {
        ContentException e = assertThrows(ContentException.class, () -> DaemonConfig.parse(new ContentFile("bad.yaml",
                "listen:\n  host: [unclosed\n")));
        assertFalse(e.errors().isEmpty());
        assertTrue(e.errors().get(0).toString().startsWith("bad.yaml:"), e.errors().toString());
    }
}
