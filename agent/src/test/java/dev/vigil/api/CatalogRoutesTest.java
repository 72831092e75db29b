package dev.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.approval.Fixtures;
import dev.vigil.audit.AuditJournal;
import dev.vigil.audit.JournalQuery;
import dev.vigil.content.ContentSource;
import dev.vigil.playbook.Playbook;
import dev.vigil.playbook.PlaybookCatalog;
import dev.vigil.signature.RuleRef;
import dev.vigil.signature.Signature;
import dev.vigil.signature.SignatureCatalog;
import dev.vigil.testing.Repo;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog of the repository's content, with hit counts and outcome history read from a journal the test writes. */
class CatalogRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VIEWER = "viewer-token-for-the-catalog";
    private static final Map<String, String> DB1 = Map.of("host", "db-1");
    private static final String ROTATE = "rotate-and-compress-logs";

    private final Fixtures.Clock clock = new Fixtures.Clock("2026-05-01T12:00:00Z");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Vertx vertx;
    private HttpServer server;
    private AuditJournal journal;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        ContentSource source = ContentSource.directory(Repo.root());
        SignatureCatalog signatures = SignatureCatalog.load(source);
        PlaybookCatalog playbooks = PlaybookCatalog.load(source, PlaybookCatalog.Pins.REPORTED);
        List<RuleRef> rules = List.of(
                new RuleRef("filesystem over 95%", "rules/filesystem.drl", 10, "disk-full", "fs-full", null, false),
                new RuleRef("filesystem read-only", "rules/filesystem.drl", 30, null, null, "read-only-filesystem", false));
        CatalogRoutes.Source content = new CatalogRoutes.Source() {
            @Override
            public Collection<Signature> signatures() {
                return signatures.all();
            }

            @Override
            public Collection<Signature> shadow() {
                return List.of();
            }

            @Override
            public List<RuleRef> rules() {
                return rules;
            }

            @Override
            public Collection<Playbook> playbooks() {
                return playbooks.all();
            }

            @Override
            public Set<String> openCircuits() {
                return Set.of(ROTATE);
            }
        };
        Path file = dir.resolve("audit.jsonl");
        journal = AuditJournal.open(file, clock);
        vertx = Vertx.vertx();
        Tokens tokens = new Tokens(List.of(new Tokens.Entry("vera", Tokens.sha256(VIEWER), Role.VIEWER)));
        server = vertx.createHttpServer().requestHandler(new CatalogRoutes(vertx, tokens, content, new JournalQuery(file)).router())
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        journal.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void write(String type, Object... kv) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            data.put((String) kv[i], kv[i + 1]);
        }
        journal.append(type, data);
        journal.commit();
        clock.advance(Duration.ofMinutes(1));
    }

    private void run(String run, String outcome) {
        write("playbook.intent", "run", run, "decision", "d-" + run, "playbook", ROTATE, "signature", "disk-full", "target", DB1);
        write("playbook.outcome", "run", run, "decision", "d-" + run, "playbook", ROTATE, "signature", "disk-full",
                "target", DB1, "outcome", outcome, "reason", outcome + " for " + run);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .header("Authorization", "Bearer " + VIEWER).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static JsonNode entry(JsonNode body, String list, String field, String id) {
        for (JsonNode e : body.path(list)) {
            if (e.path(field).asText().equals(id)) {
                return e;
            }
        }
        throw new AssertionError("no " + id + " in " + list);
    }

    @Test
    void signaturesCountTheirDiagnosesAndDecisionsByKind() throws Exception {
        write("diagnosis.opened", "signature", "disk-full", "target", DB1);
        write("decision", "id", "d-1", "signature", "disk-full", "target", DB1, "decision", "execute");
        write("diagnosis.opened", "signature", "disk-full", "target", Map.of("host", "db-2"));
        write("decision", "id", "d-2", "signature", "disk-full", "target", Map.of("host", "db-2"), "decision", "approve");
        write("decision", "id", "d-3", "signature", "disk-full", "target", DB1, "decision", "execute");

        JsonNode body = get("/api/v1/catalog/signatures");
        assertEquals(24, body.path("total").asInt(), "the starter library");
        JsonNode disk = entry(body, "signatures", "id", "disk-full");
        assertEquals(2, disk.path("diagnoses").asInt());
        assertEquals(2, disk.path("decisions").path("execute").asInt());
        assertEquals(1, disk.path("decisions").path("approve").asInt());
        assertEquals(List.of(ROTATE), JSON.convertValue(disk.path("playbooks"), List.class));
        assertEquals(0, entry(body, "signatures", "id", "crashloop").path("diagnoses").asInt());
        assertEquals(5, body.path("counted_through_seq").asLong());
        assertEquals("2026-05-01T12:00:00.000Z", body.path("counted_since").asText());
    }

    @Test
    void playbooksShowRunsOutcomesAndTheLatestOutcomesFirst_andCountWhatCameSinceTheLastRequest() throws Exception {
        write("playbook.dry-run", "decision", "d-0", "playbook", ROTATE, "dry_run", true);
        run("r-1", "verified");
        run("r-2", "failed");

        JsonNode rotate = entry(get("/api/v1/catalog/playbooks"), "playbooks", "id", ROTATE);
        assertEquals(1, rotate.path("planned").asInt());
        assertEquals(2, rotate.path("runs").asInt());
        assertEquals(1, rotate.path("outcomes").path("verified").asInt());
        assertEquals(1, rotate.path("outcomes").path("failed").asInt());
        assertEquals("open", rotate.path("circuit").asText());
        assertEquals("low", rotate.path("risk").asText());
        assertEquals("r-2", rotate.path("history").get(0).path("run").asText(), "newest first");

        run("r-3", "rolled-back");
        rotate = entry(get("/api/v1/catalog/playbooks"), "playbooks", "id", ROTATE);
        assertEquals(3, rotate.path("runs").asInt());
        assertEquals(1, rotate.path("outcomes").path("rolled-back").asInt());
        assertEquals(List.of("r-3", "r-2", "r-1"), rotate.path("history").findValuesAsText("run"));
        assertEquals("rolled-back for r-3", rotate.path("history").get(0).path("reason").asText());
    }

    @Test
    void theHistoryKeepsOnlyTheLatestOutcomes() throws Exception {
        for (int i = 1; i <= CatalogTally.HISTORY + 5; i++) {
            run("r-" + i, "verified");
        }
        JsonNode rotate = entry(get("/api/v1/catalog/playbooks"), "playbooks", "id", ROTATE);
        assertEquals(CatalogTally.HISTORY + 5, rotate.path("outcomes").path("verified").asInt());
        assertEquals(CatalogTally.HISTORY, rotate.path("history").size());
        assertEquals("r-" + (CatalogTally.HISTORY + 5), rotate.path("history").get(0).path("run").asText());
    }

    @Test
    void rulesCountHowOftenTheirEvidenceStartedToHold() throws Exception {
        write("evidence.holds", "signature", "disk-full", "key", "fs-full", "target", DB1, "detail", "/ 99%");
        write("evidence.holds", "signature", "disk-full", "key", "fs-full", "target", Map.of("host", "db-2"), "detail", "/ 97%");

        JsonNode body = get("/api/v1/catalog/rules");
        assertEquals(2, entry(body, "rules", "name", "filesystem over 95%").path("evidence_started").asInt());
        assertTrue(entry(body, "rules", "name", "filesystem read-only").path("evidence_started").isNull(),
                "contraindications are not journalled as they change");
    }

    @Test
    void aLimitCutsTheListAndSaysTheTotal() throws Exception {
        JsonNode body = get("/api/v1/catalog/signatures?limit=3");
        assertEquals(3, body.path("signatures").size());
        assertEquals(24, body.path("total").asInt());
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                + "/api/v1/catalog/rules?limit=0")).header("Authorization", "Bearer " + VIEWER).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        assertEquals("limit", JSON.readTree(bad.body()).path("parameter").asText());
    }
}
