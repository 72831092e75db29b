package dev.vigil.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.Alert;
import dev.vigil.fact.Labels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertmanagerDecoderTest {
    private static final long RECEIVED = 1_714_564_900_000L;

    /** A webhook as Alertmanager 0.25 posts it: one group, two firing alerts. */
    private static final String FIRING = """
            {
              "receiver": "vigil",
              "status": "firing",
              "alerts": [
                {
                  "status": "firing",
                  "labels": {"alertname": "HighLatency", "instance": "web-1:8080", "job": "api", "severity": "page"},
                  "annotations": {"summary": "p99 latency above 2s", "runbook_url": "https://runbooks.example/latency"},
                  "startsAt": "2024-05-01T12:00:00.123456789Z",
                  "endsAt": "0001-01-01T00:00:00Z",
                  "generatorURL": "http://prometheus:9090/graph?g0.expr=latency%3E2",
                  "fingerprint": "7c2f0ab3e0a14d1b"
                },
                {
                  "status": "firing",
                  "labels": {"alertname": "HighLatency", "instance": "web-2:8080", "job": "api", "severity": "page"},
                  "annotations": {"summary": "p99 latency above 2s"},
                  "startsAt": "2024-05-01T14:00:05+02:00",
                  "endsAt": "0001-01-01T00:00:00Z",
                  "generatorURL": "http://prometheus:9090/graph?g0.expr=latency%3E2",
                  "fingerprint": "0b8e5d8f5f21c9aa"
                }
              ],
              "groupLabels": {"alertname": "HighLatency"},
              "commonLabels": {"alertname": "HighLatency", "job": "api", "severity": "page"},
              "commonAnnotations": {"summary": "p99 latency above 2s"},
              "externalURL": "http://alertmanager:9093",
              "version": "4",
              "groupKey": "{}:{alertname=\\"HighLatency\\"}",
              "truncatedAlerts": 0
            }
            """;

    @Test
    void aVersion4WebhookBecomesOneAlertFactPerAlert() throws Exception {
        Decoded d = decode(FIRING, new AlertDeduplicator());

        assertEquals(Map.of(), d.rejected());
        assertEquals(List.of(
                new Alert("firing", Labels.of("alertname", "HighLatency", "instance", "web-1:8080", "job", "api", "severity", "page"),
                        Map.of("summary", "p99 latency above 2s", "runbook_url", "https://runbooks.example/latency"),
                        Instant.parse("2024-05-01T12:00:00.123Z").toEpochMilli(), RECEIVED),
                new Alert("firing", Labels.of("alertname", "HighLatency", "instance", "web-2:8080", "job", "api", "severity", "page"),
                        Map.of("summary", "p99 latency above 2s"),
                        Instant.parse("2024-05-01T12:00:05Z").toEpochMilli(), RECEIVED)),
                d.items());
    }

    @Test
    void aResendIsDroppedAsDuplicateButItsResolutionPasses() throws Exception {
        AlertDeduplicator dedup = new AlertDeduplicator();
        decode(FIRING, dedup);

        Decoded resend = decode(FIRING, dedup);
        assertEquals(List.of(), resend.items());
        assertEquals(Map.of("duplicate", 2L), resend.rejected());

        Decoded resolved = decode(FIRING.replace("\"status\": \"firing\",\n      \"labels\": {\"alertname\": \"HighLatency\", \"instance\": \"web-1",
                "\"status\": \"resolved\",\n      \"labels\": {\"alertname\": \"HighLatency\", \"instance\": \"web-1"), dedup);
        assertEquals(1, resolved.items().size(), resolved::rejectedSummary);
        Alert alert = (Alert) resolved.items().get(0);
        assertEquals("resolved", alert.status());
        assertEquals("web-1:8080", alert.labels().get("instance"));
        assertEquals(Map.of("duplicate", 1L), resolved.rejected(), "web-2 is still firing, unchanged");
    }

    @Test
    void forgottenAlertsAreTakenAgainWhenTheSenderRetries() throws Exception {
        AlertDeduplicator dedup = new AlertDeduplicator();
        Decoded first = decode(FIRING, dedup);
        dedup.forget(first.items()); // the queue refused them: the receiver answers 503 and Alertmanager retries

        assertEquals(2, decode(FIRING, dedup).items().size());
    }

    @Test
    void aPayloadThatIsNotVersion4OrNotJsonIsRefusedWhole() {
        AlertDeduplicator dedup = new AlertDeduplicator();
        BadPayloadException v3 = assertThrows(BadPayloadException.class,
                () -> decode(FIRING.replace("\"version\": \"4\"", "\"version\": \"3\""), dedup));
        assertEquals("alertmanager: webhook version must be \"4\", was \"3\"", v3.getMessage());
        assertThrows(BadPayloadException.class, () -> decode(FIRING.replace("\"version\": \"4\"", "\"version\": 4"), dedup));
        assertThrows(BadPayloadException.class, () -> decode(FIRING.substring(0, 200), dedup));
        assertThrows(BadPayloadException.class, () -> decode(FIRING + "{}", dedup));
        assertThrows(BadPayloadException.class, () -> decode("[]", dedup));
        assertEquals(0, dedup.size(), "nothing from a refused payload is remembered");
    }

    @Test
    void aMalformedOrOversizedAlertIsRejectedAlone() throws Exception {
        String payload = """
                {"version": "4", "status": "firing", "alerts": [
                  {"status": "firing", "labels": {"alertname": "Ok"}, "startsAt": "2024-05-01T12:00:00Z"},
                  {"status": "pending", "labels": {"alertname": "BadStatus"}, "startsAt": "2024-05-01T12:00:00Z"},
                  {"status": "firing", "labels": {"alertname": 7}, "startsAt": "2024-05-01T12:00:00Z"},
                  {"status": "firing", "labels": {"alertname": "BadTime"}, "startsAt": "yesterday"},
                  {"status": "firing", "labels": {"alertname": "Long"}, "annotations": {"description": "%s"},
                   "startsAt": "2024-05-01T12:00:00Z"}
                ]}
                """.formatted("x".repeat(5000));

        Decoded d = decode(payload, new AlertDeduplicator());

        assertEquals(Map.of("invalid_alert", 3L, "label_value_too_long", 1L), d.rejected());
        assertEquals("Ok", ((Alert) d.items().get(0)).labels().get("alertname"));
    }

    @Test
    void tooManyAlertsRefuseTheRequest() {
        IngestLimits one = new IngestLimits(1 << 20, 1 << 20, 64, 256, 4096, 1024, 1);
        assertThrows(PayloadTooLargeException.class, () -> AlertmanagerDecoder.decode(
                FIRING.getBytes(StandardCharsets.UTF_8), one, RECEIVED, new AlertDeduplicator()));
    }

    @Test
    void theFingerprintIsAlertmanagersFnv1aOverSortedLabels() {
        // the vectors of prometheus/common model/signature_test.go
        assertEquals(Long.parseUnsignedLong("14695981039346656037"), AlertDeduplicator.fingerprint(Labels.EMPTY));
        assertEquals(Long.parseUnsignedLong("5799056148416392346"), AlertDeduplicator.fingerprint(
                Labels.of("name", "garland, briggs", "fear", "love is not enough")));
    }

    @Test
    void theDeduplicatorForgetsTheLeastRecentlySeenWhenFull() {
        AlertDeduplicator dedup = new AlertDeduplicator(2);
        Labels a = Labels.of("alertname", "A");
        Labels b = Labels.of("alertname", "B");
        Labels c = Labels.of("alertname", "C");
        assertTrue(dedup.firstSeen(a, "firing", 1));
        assertTrue(dedup.firstSeen(b, "firing", 1));
        assertTrue(!dedup.firstSeen(a, "firing", 1), "seen; and now the most recent");
        assertTrue(dedup.firstSeen(c, "firing", 1));
        assertEquals(2, dedup.size());
        assertTrue(!dedup.firstSeen(a, "firing", 1));
        assertTrue(dedup.firstSeen(b, "firing", 1), "b was the least recently seen, so it went");
    }

    private static Decoded decode(String json, AlertDeduplicator dedup) throws BadPayloadException {
        return AlertmanagerDecoder.decode(json.getBytes(StandardCharsets.UTF_8), IngestLimits.DEFAULTS, RECEIVED, dedup);
    }
}
