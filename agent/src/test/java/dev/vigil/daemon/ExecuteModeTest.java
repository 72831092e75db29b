package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.audit.AuditJournal;
import dev.vigil.content.ContentFile;
import dev.vigil.content.ContentSource;
import dev.vigil.testing.DemoStuckContent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon in {@code mode: execute}, end to end on loopback: it scrapes a target whose metrics match a signature, the
 * playbook's pinned script really runs and changes what the target serves, and the verification reads the next
 * scrapes. Its own content directory (rule, signature, playbook, scripts, lock), not the production scripts.
 */
class ExecuteModeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VIEWER = "viewer-token-execute-mode";

    @TempDir
    Path tmp;

    private Vertx vertx;
    private HttpServer target;
    private Daemon daemon;
    private Path state;

    @BeforeEach
    void startTarget() throws Exception {
        state = tmp.resolve("target-state");
        Files.writeString(state, "stuck");
        vertx = Vertx.vertx();
        target = DemoStuckContent.serveTarget(vertx, state); // stuck until a script writes "fixed" into the state file
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A content directory whose only signature runs {@code unstick} (with the given body) and rolls back with {@code restore}. */
    private Path content(String unstickBody, String within) throws IOException {
        return DemoStuckContent.write(tmp.resolve("content"), 0.9, 3.0, state, unstickBody, within, true);
    }

    private Path start(Path contentRoot) throws Exception {
        return start(contentRoot, "");
    }

    private Path start(Path contentRoot, String moreConfig) throws Exception {
        return start(contentRoot, moreConfig, PolicyFile.defaults());
    }

    private Path start(Path contentRoot, String moreConfig, PolicyFile.Policy policy) throws Exception {
        Path data = tmp.resolve("data");
        DaemonConfig config = DaemonConfig.parse(new ContentFile("test.yaml", """
                listen: {host: 127.0.0.1, port: 0}
                data_dir: %s
                mode: execute
                host_probe: {enabled: false}
                warm_up: false
                scrape:
                  - {url: "http://127.0.0.1:%d/metrics", job: demo, interval: 1s, timeout: 1s}
                execution: {verify_every: 1s}
                api:
                  tokens: [{name: vera, sha256: %s, role: viewer}]
                """.formatted(data, target.actualPort(), dev.vigil.api.Tokens.sha256(VIEWER)) + moreConfig));
        Content content = Content.load(ContentSource.directory(contentRoot));
        AuditJournal journal = AuditJournal.open(Files.createDirectories(data).resolve("audit.jsonl"), InstantSource.system());
        daemon = Daemon.start(config, content, policy, journal, new PrintWriter(new StringWriter(), true),
                InstantSource.system(), "vigil-host");
        return data.resolve("audit.jsonl");
    }

    private static List<JsonNode> records(Path journal) {
        List<JsonNode> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(journal)) {
                out.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    private static List<JsonNode> ofType(List<JsonNode> records, String type) {
        return records.stream().filter(r -> r.path("type").asText().equals(type)).toList();
    }

    private static String outcome(Path journal) {
        List<JsonNode> outcomes = ofType(records(journal), "playbook.outcome");
        return outcomes.isEmpty() ? "" : outcomes.get(0).path("data").path("outcome").asText();
    }

    @Test
    @DisplayName("an execute decision runs the real script, the target recovers, and the next scrapes verify it")
    void executeDecisionRunsTheScriptAndTheVerificationHolds() throws Exception {
        Path journal = start(content(DemoStuckContent.FIXES, "30s"));
        TestDaemon.eventually(Duration.ofSeconds(40), "a playbook outcome in the journal", () -> !outcome(journal).isEmpty());
        assertEquals("verified", outcome(journal), records(journal).toString());
        assertEquals("fixed", Files.readString(state).strip(), "the script changed what the target serves");
        List<JsonNode> all = records(journal);
        JsonNode decision = ofType(all, "decision").get(0).path("data");
        assertEquals("execute", decision.path("decision").asText());
        JsonNode step = ofType(all, "playbook.step").get(0).path("data");
        assertEquals("unstick", step.path("step").asText());
        assertEquals("succeeded", step.path("status").asText());
        assertEquals("unstuck shop\n", step.path("output").asText());
        assertEquals(List.of("playbook.intent", "playbook.step", "playbook.verification", "playbook.outcome"),
                all.stream().map(r -> r.path("type").asText()).filter(t -> t.startsWith("playbook.") && !t.equals("playbook.dry-run")).toList());
        assertTrue(ofType(all, "playbook.verification").get(0).path("data").path("held").asBoolean());
    }

    @Test
    @DisplayName("a governor reads the decision, its incident and the playbook's record from the API, all from the journal")
    void theApiShowsTheDecisionItsIncidentAndThePlaybooksRecord() throws Exception {
        Path journal = start(content(DemoStuckContent.FIXES, "30s"));
        TestDaemon.eventually(Duration.ofSeconds(40), "a playbook outcome in the journal", () -> !outcome(journal).isEmpty());

        JsonNode decisions = api("/api/v1/decisions?signature=demo-stuck&target=service=shop,host=app-1&kind=execute");
        assertEquals(1, decisions.path("decisions").size(), decisions.toString());
        String id = decisions.path("decisions").get(0).path("id").asText();
        List<String> story = new ArrayList<>();
        api("/api/v1/audit?incident=" + id).path("records").forEach(r -> story.add(r.path("type").asText()));
        // the evidence holding when the diagnosis opened (journalled in the same engine step, just before it) comes first
        assertEquals(List.of("evidence.holds", "diagnosis.opened", "decision"), story.subList(0, 3), story.toString());
        assertTrue(story.containsAll(List.of("playbook.dry-run", "playbook.intent", "playbook.step", "playbook.verification",
                "playbook.outcome")), story.toString());

        JsonNode playbook = api("/api/v1/catalog/playbooks").path("playbooks").get(0);
        assertEquals("demo-unstick", playbook.path("id").asText());
        assertEquals(1, playbook.path("runs").asInt());
        assertEquals(1, playbook.path("outcomes").path("verified").asInt());
        assertEquals(id, playbook.path("history").get(0).path("decision").asText());
        JsonNode signature = api("/api/v1/catalog/signatures").path("signatures").get(0);
        assertEquals(1, signature.path("diagnoses").asInt());
        assertEquals(1, signature.path("decisions").path("execute").asInt());
        assertTrue(api("/api/v1/audit/verify").path("ok").asBoolean(), "the journal verifies while the daemon writes");
    }

    private JsonNode api(String pathAndQuery) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + daemon.httpPort() + pathAndQuery))
                        .header("Authorization", "Bearer " + VIEWER).timeout(Duration.ofSeconds(30)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), pathAndQuery + ": " + r.body());
        return JSON.readTree(r.body());
    }

    @Test
    @DisplayName("in a fleet, the daemon publishes its diagnosis, settles, acts under a grant and withdraws it once cleared")
    void inAFleetTheDiagnosisIsPublishedAndTheRunActsUnderAGrant() throws Exception {
        try (org.apache.curator.test.TestingServer zk = new org.apache.curator.test.TestingServer(true)) {
            Path journal = start(content(DemoStuckContent.FIXES, "30s"), """
                    fleet: {zookeeper: "%s", name: shop, settle: 1s, session_timeout: 6s, correlator: {every: 1s}}
                    topology:
                      services: [{name: shop, hosts: [app-1, app-2, app-3]}]
                    """.formatted(zk.getConnectString()),
                    PolicyFile.parse(new ContentFile("policy.yaml", "clear_after: 2s\n"))); // the diagnosis clears soon
            dev.vigil.fleet.ZooKeeperSettings settings = new dev.vigil.fleet.ZooKeeperSettings(zk.getConnectString(), "shop",
                    Duration.ofSeconds(6), Duration.ofSeconds(5));
            try (dev.vigil.fleet.ZooKeeperCoordinator observer = dev.vigil.fleet.ZooKeeperCoordinator.start(settings, "observer",
                    dev.vigil.fleet.FleetLimits.DEFAULTS, InstantSource.system())) {
                dev.vigil.fleet.OpenDiagnosis published = new dev.vigil.fleet.OpenDiagnosis("vigil-host", "demo-stuck", "shop", "app-1");
                TestDaemon.eventually(Duration.ofSeconds(30), "the diagnosis published to the fleet",
                        () -> observer.openDiagnoses().contains(published));
                TestDaemon.eventually(Duration.ofSeconds(40), "a playbook outcome in the journal",
                        () -> !outcome(journal).isEmpty() || !ofType(records(journal), "playbook.refused").isEmpty());
                assertEquals("verified", outcome(journal), records(journal).toString());
                TestDaemon.eventually(Duration.ofSeconds(30), "the diagnosis withdrawn once it cleared",
                        () -> observer.openDiagnoses().isEmpty());
            }
            String metrics = vertx.createHttpClient().request(io.vertx.core.http.HttpMethod.GET, daemon.httpPort(), "127.0.0.1", "/metrics")
                    .compose(r -> r.send().compose(io.vertx.core.http.HttpClientResponse::body))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
            for (String line : List.of("vigil_fleet_grants_total 1.0", "vigil_fleet_leader 1.0",
                    "vigil_fleet_session{state=\"connected\"} 1.0")) {
                assertTrue(metrics.contains(line + "\n"), line + " in " + metrics.lines().filter(l -> l.startsWith("vigil_fleet")).toList());
            }
        }
    }

    @Test
    @DisplayName("in a fleet without a quorum the run is refused and, approvals being configured, its decision becomes an approval request with the reason")
    void inAFleetWithoutQuorumTheExecuteDecisionBecomesAnApprovalRequest() throws Exception {
        try (org.apache.curator.test.TestingServer zk = new org.apache.curator.test.TestingServer(true)) {
            Path journal = start(content(DemoStuckContent.FIXES, "30s"), """
                    fleet: {zookeeper: "%s", name: shop, settle: 5s, session_timeout: 6s, correlator: {enabled: false}}
                    topology:
                      services: [{name: shop, hosts: [app-1, app-2, app-3]}]
                    approvals: {approvers: [alice]}
                    """.formatted(zk.getConnectString()));
            dev.vigil.fleet.ZooKeeperSettings settings = new dev.vigil.fleet.ZooKeeperSettings(zk.getConnectString(), "shop",
                    Duration.ofSeconds(6), Duration.ofSeconds(5));
            try (dev.vigil.fleet.ZooKeeperCoordinator observer = dev.vigil.fleet.ZooKeeperCoordinator.start(settings, "observer",
                    dev.vigil.fleet.FleetLimits.DEFAULTS, InstantSource.system())) {
                TestDaemon.eventually(Duration.ofSeconds(30), "the diagnosis published to the fleet",
                        () -> !observer.openDiagnoses().isEmpty());
            }
            zk.stop(); // within the settle delay: the grant is asked of an ensemble with no quorum
            TestDaemon.eventually(Duration.ofSeconds(40), "the run refused",
                    () -> !ofType(records(journal), "playbook.refused").isEmpty());
            List<JsonNode> all = records(journal);
            JsonNode refused = ofType(all, "playbook.refused").get(0).path("data");
            assertTrue(refused.path("reason").asText().matches("fleet: (no_quorum|lock_lost): .*\\(fails closed: nothing acts\\)"),
                    refused.toString());
            String original = refused.path("decision").asText();
            List<JsonNode> instead = ofType(all, "decision").stream().map(r -> r.path("data"))
                    .filter(d -> d.path("id").asText().equals(original + FleetLink.FAILED_CLOSED)).toList();
            assertEquals(1, instead.size(), all.toString());
            assertEquals("approve", instead.get(0).path("decision").asText());
            assertEquals(original, instead.get(0).path("replaces").asText());
            assertTrue(instead.get(0).path("reasons").toString().contains("fails closed"), instead.get(0).toString());
            JsonNode pending = ofType(all, "approval.pending").get(0).path("data");
            assertEquals(original + FleetLink.FAILED_CLOSED, pending.path("decision").asText());
            assertEquals("app-1", pending.path("parameters").path("host").asText());
            TestDaemon.eventually(Duration.ofSeconds(10), "the approval request opened",
                    () -> ofType(records(journal), "approval.requested").stream()
                            .anyMatch(r -> r.path("data").toString().contains(original + FleetLink.FAILED_CLOSED)));
            assertEquals("stuck", Files.readString(state).strip(), "nothing acted");
            assertTrue(ofType(all, "playbook.intent").isEmpty(), "no run started");
        }
    }

    @Test
    @DisplayName("when the script does not help, the verification fails, the rollback runs and rolled-back is audited")
    void failedVerificationRollsBackEndToEnd() throws Exception {
        Path journal = start(content("printf 'tried\\n' > \"$2\"\necho tried\n", "4s"));
        TestDaemon.eventually(Duration.ofSeconds(40), "a playbook outcome in the journal", () -> !outcome(journal).isEmpty());
        assertEquals("rolled-back", outcome(journal), records(journal).toString());
        assertEquals("restored", Files.readString(state).strip(), "the rollback script ran");
        List<JsonNode> all = records(journal);
        assertEquals(List.of("playbook.intent", "playbook.step", "playbook.verification", "playbook.rollback",
                "playbook.step", "playbook.outcome"), all.stream().map(r -> r.path("type").asText())
                .filter(t -> t.startsWith("playbook.") && !t.equals("playbook.dry-run")).toList());
        assertEquals("restore", ofType(all, "playbook.step").get(1).path("data").path("step").asText());
        assertTrue(ofType(all, "playbook.outcome").get(0).path("data").path("reason").asText()
                .startsWith("the verification did not hold within 4s"), all.toString());
    }
}
