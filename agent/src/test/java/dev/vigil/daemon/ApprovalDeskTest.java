package dev.vigil.daemon;

import dev.vigil.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.Tokens;
import dev.vigil.approval.Answer;
import dev.vigil.approval.ApprovalRequest;
import dev.vigil.approval.Channel;
import dev.vigil.approval.Fixtures;
import dev.vigil.approval.Vote;
import dev.vigil.decision.Decision;
import dev.vigil.decision.DecisionKind;
import dev.vigil.fact.Target;
import dev.vigil.approval.ApprovalState;
import dev.vigil.approval.SlackStub;
import dev.vigil.approval.WebhookReceiver;
import dev.vigil.approval.WebhookSignature;
import dev.vigil.audit.AuditJournal;
import dev.vigil.content.ContentFile;
import dev.vigil.scenario.Observation;
import dev.vigil.scenario.Scenario;
import dev.vigil.scenario.ScenarioReader;
import dev.vigil.testing.Repo;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's approvals end to end: a recorded incident that the gate sends to approval reaches the Slack stub and a
 * webhook receiver, signed clicks approve it, and the playbook runs in dry-run, all in the journal.
 */
class ApprovalDeskTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SIGNING_SECRET = "desk-test-signing-secret";
    private static final String WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Duration WITHIN = Duration.ofSeconds(30);

    private final InstantSource clock = InstantSource.system();
    private Vertx vertx;
    private SlackStub stub;
    private WebhookReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        stub = new SlackStub(vertx);
        receiver = new WebhookReceiver(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private String config(Path tmp) throws Exception {
        Files.writeString(tmp.resolve("slack-token"), "xoxb-desk\n");
        Files.writeString(tmp.resolve("slack-secret"), SIGNING_SECRET + "\n");
        Files.writeString(tmp.resolve("webhook-secret"), WEBHOOK_SECRET + "\n");
        return """
                listen: {host: 127.0.0.1, port: 0}
                data_dir: %s
                host_probe: {enabled: false}
                approvals:
                  expiry: 30m
                  slack:
                    token_file: %s
                    signing_secret_file: %s
                    channel: C0APPROVE
                    allowed_users: [U0ALICE, U0BOB]
                    api_url: "%s"
                  webhook: {url: "%s", secret_file: %s}
                api:
                  tokens:
                    - {name: vic, sha256: %s, role: viewer}
                """.formatted(tmp.resolve("data"), tmp.resolve("slack-token"), tmp.resolve("slack-secret"), stub.apiUrl(),
                receiver.url(), tmp.resolve("webhook-secret"), Tokens.sha256("t-vic"));
    }

    @Test
    void aRecordedIncidentNeedingApprovalIsPostedApprovedBySignedClicksAndRunInDryRun(@TempDir Path tmp) throws Exception {
        Scenario scenario = ScenarioReader.read(Repo.sharedOrSkip("scenarios").resolve("jvm-gc-thrashing.jsonl"));
        DaemonConfig config = DaemonConfig.parse(new ContentFile("test.yaml", config(tmp)));
        AuditJournal journal = AuditJournal.inMemory(clock);
        Content content = TestDaemon.content();
        try (ApprovalDesk desk = ApprovalDesk.start(config, content, journal, vertx, clock, java.util.Optional.empty());
             Pipeline pipeline = new Pipeline(content, PipelineOptions.replay(), journal, scenario.start().toEpochMilli())) {
            pipeline.outcomes(desk);
            replay(pipeline, scenario);

            List<ApprovalRequest> pending = desk.approvals().list(r -> r.state() == ApprovalState.PENDING);
            assertEquals(1, pending.size(), journal.lines().toString());
            ApprovalRequest r = pending.get(0);
            assertEquals("heap-dump-and-rolling-restart", r.playbook());
            assertEquals("inv-2", r.target().host());
            Await.until(vertx, WITHIN, "posted to Slack and the webhook", () ->
                    stub.calls("chat.postMessage").stream().anyMatch(c -> c.actionIds().contains("vigil_approve"))
                            && receiver.received.stream().anyMatch(h -> h.text().contains(r.id())));
            WebhookReceiver.Received hook = receiver.received.get(0);
            assertEquals(new WebhookSignature(WEBHOOK_SECRET, 1).sign(hook.id(), Long.parseLong(hook.timestamp()), hook.body()),
                    hook.signature());

            HttpServer server = vertx.createHttpServer().requestHandler(desk.router()).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            List<String> users = List.of("U0ALICE", "U0BOB");
            for (int i = 0; i < r.requiredApprovals(); i++) {
                HttpResponse<String> res = click(server.actualPort(), users.get(i), r.id());
                assertEquals(200, res.statusCode(), res.body());
            }

            assertEquals(ApprovalState.APPROVED, desk.approvals().get(r.id()).orElseThrow().state());
            String lines = String.join("\n", journal.lines());
            assertTrue(lines.contains("\"type\":\"approval.requested\""), lines);
            assertTrue(lines.contains("\"type\":\"approval.approved\""), lines);
            assertTrue(journal.lines().stream().anyMatch(l -> l.contains("\"type\":\"playbook.dry-run\"") && l.contains(r.id())), lines);
            Await.until(vertx, WITHIN, "the Slack message shows the outcome", () -> stub.calls("chat.update").stream()
                    .anyMatch(c -> c.blocks().toString().contains("dry-run")));
        }
    }

    @Test
    void aNotifyDecisionAndAPlaybooksNotifyMessageGoToSlackAndTheWebhook(@TempDir Path tmp) throws Exception {
        DaemonConfig config = DaemonConfig.parse(new ContentFile("test.yaml", config(tmp)));
        AuditJournal journal = AuditJournal.inMemory(clock);
        try (ApprovalDesk desk = ApprovalDesk.start(config, TestDaemon.content(), journal, vertx, clock, Optional.empty())) {
            desk.notify(new Decision("d-notify-1", 0, "disk-filling", Target.serviceHost("checkout", "app-1"), 0.41,
                    DecisionKind.NOTIFY, null, List.of("confidence 0.41 is weak: notify"), 0, Map.of(), Map.of()));
            desk.notifier().send(List.of("#ops"), "restarted checkout on app-1");

            Await.until(vertx, WITHIN, "both reached Slack and the webhook", () ->
                    stub.calls("chat.postMessage").size() >= 2
                            && receiver.received.stream().anyMatch(h -> h.text().contains("\"decision.notify\""))
                            && receiver.received.stream().anyMatch(h -> h.text().contains("\"playbook.notify\"")
                                    && h.text().contains("restarted checkout on app-1")));
            assertTrue(stub.calls("chat.postMessage").stream().allMatch(c -> c.actionIds().isEmpty()), "nothing to click");
            Await.until(vertx, WITHIN, "the four deliveries journalled", () -> journal.lines().stream()
                    .filter(l -> l.contains("\"approval.delivery\"") && l.contains("\"delivered\":true")).count() == 4);
        }
    }

    @Test
    void theDaemonServesTheApprovalRoutesBesideIngestAndItsOwnRoutes(@TempDir Path tmp) throws Exception {
        try (TestDaemon d = TestDaemon.start(config(tmp))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(d.base().resolve("/api/v1/approvals")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());
            HttpResponse<String> viewer = http.send(HttpRequest.newBuilder(d.base().resolve("/api/v1/approvals"))
                    .header("Authorization", "Bearer t-vic").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, viewer.statusCode(), viewer.body());
            assertTrue(JSON.readTree(viewer.body()).path("approvals").isArray());
            assertEquals(401, http.send(HttpRequest.newBuilder(d.base().resolve("/slack/interactivity"))
                    .POST(HttpRequest.BodyPublishers.ofString("payload=%7B%7D")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, http.send(HttpRequest.newBuilder(d.base().resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    private static String restartConfig(Path tmp) {
        return """
                listen: {host: 127.0.0.1, port: 0}
                data_dir: %s
                host_probe: {enabled: false}
                approvals: {expiry: 30m}
                """.formatted(tmp.resolve("data"));
    }

    private static Decision recyclePool(String id, int approvers) {
        return new Decision(id, 0, "db-pool-exhausted", Target.serviceHost("checkout", "app-1"), 0.72, DecisionKind.APPROVE,
                "recycle-connection-pool", List.of("confidence 0.72 is medium; risk low: approve"), approvers,
                Map.of("pool-saturated", "pool HikariPool-1 saturated 10/10 for 75s"), Map.of("pool", "HikariPool-1"));
    }

    private static final Map<String, String> POOL = Map.of("service", "checkout", "host", "app-1", "pool", "HikariPool-1",
            "admin_port", "8081");

    private static List<String> types(AuditJournal journal) {
        return journal.lines().stream().map(l -> {
            try {
                return JSON.readTree(l).path("type").asText();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }).filter(t -> t.startsWith("approval.") || t.startsWith("playbook.")).toList();
    }

    @Test
    void pendingRequestsWithTheirVotesAndDecisionsSurviveARestartAndAreAnsweredAfterIt(@TempDir Path tmp) throws Exception {
        DaemonConfig config = DaemonConfig.parse(new ContentFile("test.yaml", restartConfig(tmp)));
        Fixtures.Clock at = new Fixtures.Clock("2026-01-01T12:00:00Z");
        AuditJournal journal = AuditJournal.inMemory(at);
        String id;
        try (ApprovalDesk desk = ApprovalDesk.start(config, TestDaemon.content(), journal, vertx, at, Optional.empty())) {
            desk.approve(recyclePool("d-restart-1", 2), POOL);
            id = desk.approvals().list(r -> true).get(0).id();
            assertTrue(desk.approvals().approve(id, "alice", Channel.API).accepted());
        }
        Path saved = tmp.resolve("data").resolve(PendingApprovals.FILE);
        assertEquals("d-restart-1", JSON.readTree(saved.toFile()).path("decisions").path("d-restart-1").path("id").asText(),
                "the decision it would run is kept with it");

        at.advance(Duration.ofMinutes(10));
        try (ApprovalDesk desk = ApprovalDesk.start(config, TestDaemon.content(), journal, vertx, at, Optional.empty())) {
            ApprovalRequest back = desk.approvals().get(id).orElseThrow();
            assertEquals(ApprovalState.PENDING, back.state());
            assertEquals(List.of("alice"), back.approvals().stream().map(Vote::who).toList(), "the vote before the restart counts");
            assertEquals(POOL, back.parameters());
            assertEquals(Answer.Code.DUPLICATE_APPROVER, desk.approvals().approve(id, "alice", Channel.SLACK).code());

            Answer second = desk.approvals().approve(id, "bob", Channel.API);

            assertEquals(ApprovalState.APPROVED, second.request().state(), second.message());
            assertEquals(List.of("approval.requested", "approval.vote", "approval.restored", "approval.refused",
                    "approval.approved", "playbook.dry-run", "approval.executed"), types(journal));
            assertEquals(0, JSON.readTree(saved.toFile()).path("requests").size(), "nothing pending is left to restore");
        }
    }

    @Test
    void aRequestWhoseTimeRanOutWhileTheDaemonWasDownExpiresAtStartAndIsAudited(@TempDir Path tmp) throws Exception {
        DaemonConfig config = DaemonConfig.parse(new ContentFile("test.yaml", restartConfig(tmp)));
        Fixtures.Clock at = new Fixtures.Clock("2026-01-01T12:00:00Z");
        AuditJournal journal = AuditJournal.inMemory(at);
        try (ApprovalDesk desk = ApprovalDesk.start(config, TestDaemon.content(), journal, vertx, at, Optional.empty())) {
            desk.approve(recyclePool("d-restart-2", 1), POOL);
        }
        at.advance(Duration.ofMinutes(31));
        try (ApprovalDesk desk = ApprovalDesk.start(config, TestDaemon.content(), journal, vertx, at, Optional.empty())) {
            ApprovalRequest r = desk.approvals().list(x -> true).get(0);
            assertEquals(ApprovalState.EXPIRED, r.state());
            assertEquals(Answer.Code.NOT_PENDING, desk.approvals().approve(r.id(), "alice", Channel.API).code());
            assertEquals(List.of("approval.requested", "approval.restored", "approval.expired", "approval.refused"), types(journal));
        }
    }

    @Test
    void anUnreadableStoreIsMovedAsideAndJournalledAndTheDaemonStillStarts(@TempDir Path tmp) throws Exception {
        DaemonConfig config = DaemonConfig.parse(new ContentFile("test.yaml", restartConfig(tmp)));
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve(PendingApprovals.FILE), "{\"version\": 1, \"requests\": [{\"id\": 7}]}");
        AuditJournal journal = AuditJournal.inMemory(clock);
        try (ApprovalDesk desk = ApprovalDesk.start(config, TestDaemon.content(), journal, vertx, clock, Optional.empty())) {
            assertTrue(desk.approvals().list(r -> true).isEmpty());
            String failed = journal.lines().stream().filter(l -> l.contains("\"approval.restore-failed\"")).findFirst().orElseThrow();
            assertTrue(failed.contains(PendingApprovals.FILE) && failed.contains("state"), failed);
            try (var files = Files.list(data)) {
                assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith(PendingApprovals.FILE + ".unreadable-")));
            }
        }
    }

    private HttpResponse<String> click(int port, String user, String id) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(SlackStub.click(
                URI.create("http://127.0.0.1:" + port + "/slack/interactivity"), SIGNING_SECRET, user, "vigil_approve", id,
                clock.instant().getEpochSecond()), HttpResponse.BodyHandlers.ofString());
    }

    /** Feeds a recording through the pipeline step by step, as {@code vigil replay} does. */
    private static void replay(Pipeline pipeline, Scenario scenario) {
        pipeline.topology(scenario.topology());
        double current = Double.NaN;
        for (Observation o : scenario.observations()) {
            if (!Double.isNaN(current) && o.t() != current) {
                pipeline.step(scenario.start().toEpochMilli() + Math.round(current * 1000));
            }
            current = o.t();
            pipeline.accept(o.telemetry());
        }
        pipeline.step(scenario.start().toEpochMilli() + Math.round(current * 1000));
    }
}
