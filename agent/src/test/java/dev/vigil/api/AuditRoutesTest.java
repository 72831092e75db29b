package dev.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.approval.Fixtures;
import dev.vigil.audit.AuditJournal;
import dev.vigil.audit.AuditVerifier;
import dev.vigil.audit.JournalQuery;
import dev.vigil.fact.Target;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decisions, journal records and verification over HTTP, read from a journal the test writes. */
class AuditRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VIEWER = "viewer-token-for-audit-routes";
    private static final Map<String, String> DB1 = Map.of("host", "db-1");

    private final Fixtures.Clock clock = new Fixtures.Clock("2026-05-01T12:00:00Z");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Vertx vertx;
    private HttpServer server;
    private Path file;

    @TempDir
    Path dir;

    /**
     * Seq 1..13, one a minute from 12:00: an incident on disk-full/db-1 decided as d-1 (approved, run, verified,
     * cleared), a notify d-2 on crashloop in between, the next incident on db-1 (d-3), and a shadow decision d-4.
     */
    @BeforeEach
    void start() throws Exception {
        file = dir.resolve("audit.jsonl");
        try (AuditJournal j = AuditJournal.open(file, clock)) {
            write(j, "diagnosis.opened", "signature", "disk-full", "target", DB1);
            write(j, "evidence.holds", "signature", "disk-full", "key", "fs-full", "target", DB1, "detail", "/ 99% full");
            write(j, "decision", "id", "d-1", "signature", "disk-full", "target", DB1, "decision", "approve", "playbook", "rotate-and-compress-logs");
            write(j, "approval.requested", "id", "apr-d-1", "decision", "d-1");
            write(j, "decision", "id", "d-2", "signature", "crashloop", "target", Map.of("service", "api"), "decision", "notify");
            write(j, "approval.approved", "id", "apr-d-1", "decision", "d-1", "who", "alice");
            write(j, "playbook.intent", "run", "r-1", "decision", "d-1", "playbook", "rotate-and-compress-logs", "signature", "disk-full", "target", DB1);
            write(j, "playbook.outcome", "run", "r-1", "decision", "d-1", "playbook", "rotate-and-compress-logs", "signature", "disk-full",
                    "target", DB1, "outcome", "verified", "reason", "disk below 80%");
            write(j, "evidence.cleared", "evidence", "disk-full|fs-full|" + new Target(DB1));
            write(j, "diagnosis.cleared", "signature", "disk-full", "target", DB1, "decision", "d-1");
            write(j, "diagnosis.opened", "signature", "disk-full", "target", DB1);
            write(j, "decision", "id", "d-3", "signature", "disk-full", "target", DB1, "decision", "execute", "playbook", "rotate-and-compress-logs");
            write(j, "decision", "id", "d-4", "signature", "new-sig", "target", DB1, "decision", "shadow", "would", "execute");
        }
        vertx = Vertx.vertx();
        Tokens tokens = new Tokens(List.of(new Tokens.Entry("vera", Tokens.sha256(VIEWER), Role.VIEWER)));
        AuditRoutes routes = new AuditRoutes(vertx, tokens, new JournalQuery(file), () -> AuditVerifier.verify(file));
        server = vertx.createHttpServer().requestHandler(routes.router()).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void write(AuditJournal j, String type, Object... kv) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            data.put((String) kv[i], kv[i + 1]);
        }
        j.append(type, data);
        clock.advance(Duration.ofMinutes(1));
    }

    private HttpResponse<String> call(String method, String pathAndQuery) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + VIEWER)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String pathAndQuery) throws Exception {
        HttpResponse<String> r = call("GET", pathAndQuery);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static List<String> ids(JsonNode body) {
        List<String> out = new ArrayList<>();
        body.path("decisions").forEach(d -> out.add(d.path("id").asText()));
        return out;
    }

    private static List<Long> seqs(JsonNode body) {
        List<Long> out = new ArrayList<>();
        body.path("records").forEach(d -> out.add(d.path("seq").asLong()));
        return out;
    }

    @Test
    void decisionsComeNewestFirst_withWhereTheyAreInTheJournal() throws Exception {
        JsonNode body = ok("/api/v1/decisions");
        assertEquals(List.of("d-4", "d-3", "d-2", "d-1"), ids(body));
        JsonNode d1 = body.path("decisions").get(3);
        assertEquals(3, d1.path("seq").asLong());
        assertEquals("2026-05-01T12:02:00.000Z", d1.path("time").asText());
        assertEquals("approve", d1.path("decision").asText());
        assertEquals(64, d1.path("hash").asText().length());
        assertFalse(body.has("next_before"), "everything fit in one page");
    }

    @Test
    void decisionsFilterBySignatureKindTargetAndTime() throws Exception {
        assertEquals(List.of("d-3", "d-1"), ids(ok("/api/v1/decisions?signature=disk-full")));
        assertEquals(List.of("d-2"), ids(ok("/api/v1/decisions?kind=notify")));
        assertEquals(List.of("d-4"), ids(ok("/api/v1/decisions?kind=shadow")));
        assertEquals(List.of("d-4", "d-3", "d-1"), ids(ok("/api/v1/decisions?target=host=db-1")));
        assertEquals(List.of("d-2"), ids(ok("/api/v1/decisions?target=api")));
        assertEquals(List.of("d-3", "d-1"), ids(ok("/api/v1/decisions?target=host=db-1&signature=disk-full")));
        assertEquals(List.of("d-3", "d-2"), ids(ok("/api/v1/decisions?since=2026-05-01T12:03:00Z&until=2026-05-01T14:11:00%2B02:00")));
    }

    @Test
    void decisionsPageWithTheCursorTheyGive() throws Exception {
        JsonNode first = ok("/api/v1/decisions?limit=2");
        assertEquals(List.of("d-4", "d-3"), ids(first));
        assertEquals(12, first.path("next_before").asLong());
        JsonNode second = ok("/api/v1/decisions?limit=2&before=12");
        assertEquals(List.of("d-2", "d-1"), ids(second));
        assertFalse(second.has("next_before"));
    }

    @Test
    void aBadParameterIsA400NamingIt() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("/api/v1/decisions?limit=0", "limit");
        cases.put("/api/v1/decisions?limit=501", "limit");
        cases.put("/api/v1/decisions?limit=ten", "limit");
        cases.put("/api/v1/decisions?since=yesterday", "since");
        cases.put("/api/v1/decisions?since=2026-05-02T00:00:00Z&until=2026-05-01T00:00:00Z", "since");
        cases.put("/api/v1/decisions?kind=maybe", "kind");
        cases.put("/api/v1/decisions?target=%3Ddb-1", "target");
        cases.put("/api/v1/decisions?colour=red", "colour");
        cases.put("/api/v1/decisions?kind=notify&kind=execute", "kind");
        cases.put("/api/v1/decisions?before=-1", "before");
        cases.put("/api/v1/audit", "decision");
        cases.put("/api/v1/audit?decision=d-1&incident=d-1", "incident");
        cases.put("/api/v1/audit?since=2026-05-01T12:00:00Z&limit=1001", "limit");
        cases.put("/api/v1/audit?decision=", "decision");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> r = call("GET", c.getKey());
            assertEquals(400, r.statusCode(), c.getKey() + ": " + r.body());
            JsonNode body = JSON.readTree(r.body());
            assertEquals(c.getValue(), body.path("parameter").asText(), c.getKey() + ": " + r.body());
            assertTrue(body.path("error").asText().startsWith(c.getValue() + ": "), r.body());
        }
    }

    @Test
    void theRecordsOfADecisionAreItsApprovalsRunsAndClearing() throws Exception {
        JsonNode body = ok("/api/v1/audit?decision=d-1");
        assertEquals(List.of(3L, 4L, 6L, 7L, 8L, 10L), seqs(body));
        assertEquals("playbook.outcome", body.path("records").get(4).path("type").asText());
        assertEquals("verified", body.path("records").get(4).path("data").path("outcome").asText());
    }

    @Test
    void anIncidentRunsFromItsOpeningToItsClearing_withItsEvidence() throws Exception {
        assertEquals(List.of(1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 10L), seqs(ok("/api/v1/audit?incident=d-1")));
        assertEquals(List.of(11L, 12L), seqs(ok("/api/v1/audit?incident=d-3")), "the next incident on the same target");
        JsonNode page = ok("/api/v1/audit?incident=d-1&limit=4");
        assertEquals(List.of(1L, 2L, 3L, 4L), seqs(page));
        assertEquals(List.of(6L, 7L, 8L, 9L, 10L), seqs(ok("/api/v1/audit?incident=d-1&after=" + page.path("next_after").asLong())));

        HttpResponse<String> missing = call("GET", "/api/v1/audit?incident=d-404");
        assertEquals(404, missing.statusCode());
        assertEquals("incident", JSON.readTree(missing.body()).path("parameter").asText());
    }

    @Test
    void aTimeRangeOfRecordsPagesForward() throws Exception {
        JsonNode first = ok("/api/v1/audit?since=2026-05-01T12:04:00Z&until=2026-05-01T12:09:00Z&limit=4");
        assertEquals(List.of(5L, 6L, 7L, 8L), seqs(first));
        assertEquals(8, first.path("next_after").asLong());
        JsonNode rest = ok("/api/v1/audit?since=2026-05-01T12:04:00Z&until=2026-05-01T12:09:00Z&limit=4&after=8");
        assertEquals(List.of(9L, 10L), seqs(rest));
        assertFalse(rest.has("next_after"));
        assertEquals(List.of(6L), seqs(ok("/api/v1/audit?since=2026-05-01T12:00:00Z&type=approval.approved")));
    }

    @Test
    void aVerificationSlowerThanTheListenersIdleTimeoutStillAnswers() throws Exception {
        java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        Tokens tokens = new Tokens(List.of(new Tokens.Entry("vera", Tokens.sha256(VIEWER), Role.VIEWER)));
        AuditRoutes slow = new AuditRoutes(vertx, tokens, new JournalQuery(file), () -> {
            released.await(30, TimeUnit.SECONDS); // released by a timer well past the idle timeout
            return AuditVerifier.verify(file);
        });
        HttpServer strict = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setIdleTimeout(1)
                        .setIdleTimeoutUnit(TimeUnit.SECONDS)).requestHandler(slow.router()).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.setTimer(6 * KeepAlive.AFTER_MILLIS, id -> released.countDown());

        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + strict.actualPort()
                + "/api/v1/audit/verify")).header("Authorization", "Bearer " + VIEWER).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, r.statusCode());
        assertTrue(r.body().startsWith(" "), "kept alive with whitespace: '" + r.body() + "'");
        assertTrue(JSON.readTree(r.body()).path("ok").asBoolean(), r.body());
    }

    @Test
    void verifyReportsAnIntactChain_thenNamesTheFirstEditedRecord() throws Exception {
        JsonNode intact = ok("/api/v1/audit/verify");
        assertTrue(intact.path("ok").asBoolean(), intact.toString());
        assertEquals(13, intact.path("records").asLong());
        assertEquals("ok: 13 records, chain intact", intact.path("summary").asText());

        Files.writeString(file, Files.readString(file).replace("\"outcome\":\"verified\"", "\"outcome\":\"failed\""));
        HttpResponse<String> r = call("POST", "/api/v1/audit/verify");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode broken = JSON.readTree(r.body());
        assertFalse(broken.path("ok").asBoolean());
        assertEquals(7, broken.path("records").asLong());
        assertEquals(8, broken.path("first_bad").path("line").asLong());
        assertEquals(8, broken.path("first_bad").path("seq").asLong());
        assertTrue(broken.path("first_bad").path("reason").asText().contains("hash mismatch"), r.body());
    }
}
