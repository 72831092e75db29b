package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.approval.SlackStub;
import dev.vigil.approval.WebhookReceiver;
import dev.vigil.approval.WebhookSignature;
import dev.vigil.audit.AuditJournal;
import dev.vigil.content.ContentFile;
import dev.vigil.content.ContentSource;
import dev.vigil.testing.DemoStuckContent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
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
 * The daemon in {@code mode: execute} with approvals, end to end on loopback: a diagnosis of medium confidence on a
 * low-risk playbook is decided {@code approve}; the request reaches the Slack stub and a webhook receiver; a signed
 * Slack click approves it; the real playbook runner runs the pinned script, and the journal holds every transition.
 * Its own content directory (rule, signature, playbook, scripts, lock), not the production scripts.
 */
class ApprovedRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SIGNING_SECRET = "approved-run-signing-secret";
    private static final String WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Duration WITHIN = Duration.ofSeconds(40);

    @TempDir
    Path tmp;

    private Vertx vertx;
    private HttpServer target;
    private SlackStub slack;
    private WebhookReceiver receiver;
    private Daemon daemon;
    private Path state;
    private Path journal;

    @BeforeEach
    void start() throws Exception {
        state = tmp.resolve("target-state");
        Files.writeString(state, "stuck");
        vertx = Vertx.vertx();
        slack = new SlackStub(vertx);
        receiver = new WebhookReceiver(vertx);
        target = DemoStuckContent.serveTarget(vertx, state); // stuck until a script writes "fixed" into the state file
        journal = startDaemon(content());
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** One signature of medium prior whose only playbook, of low risk, runs {@code unstick}. */
    private Path content() throws IOException {
        return DemoStuckContent.write(tmp.resolve("content"), 0.4, 1.0, state, DemoStuckContent.FIXES, "30s", false);
    }

    private Path contentRoot;

    private Path startDaemon(Path contentRoot) throws Exception {
        this.contentRoot = contentRoot;
        Path data = tmp.resolve("data");
        Files.writeString(tmp.resolve("slack-token"), "xoxb-approved-run\n");
        Files.writeString(tmp.resolve("slack-secret"), SIGNING_SECRET + "\n");
        Files.writeString(tmp.resolve("webhook-secret"), WEBHOOK_SECRET + "\n");
        DaemonConfig config = DaemonConfig.parse(new ContentFile("test.yaml", """
                listen: {host: 127.0.0.1, port: 0}
                data_dir: %s
                mode: execute
                host_probe: {enabled: false}
                warm_up: false
                scrape:
                  - {url: "http://127.0.0.1:%d/metrics", job: demo, interval: 1s, timeout: 1s}
                execution: {verify_every: 1s}
                approvals:
                  expiry: 30m
                  slack:
                    token_file: %s
                    signing_secret_file: %s
                    channel: C0APPROVE
                    allowed_users: {U0ALICE: alice}
                    api_url: "%s"
                  webhook: {url: "%s", secret_file: %s}
                """.formatted(data, target.actualPort(), tmp.resolve("slack-token"), tmp.resolve("slack-secret"),
                slack.apiUrl(), receiver.url(), tmp.resolve("webhook-secret"))));
        Content content = Content.load(ContentSource.directory(contentRoot));
        // decided after one second of gathering evidence, not the default two minutes
        PolicyFile.Policy policy = PolicyFile.parse(new ContentFile("policy.yaml", "settle: 1s\n"));
        AuditJournal audit = AuditJournal.open(Files.createDirectories(data).resolve("audit.jsonl"), InstantSource.system());
        daemon = Daemon.start(config, content, policy, audit, new PrintWriter(new StringWriter(), true),
                InstantSource.system(), "vigil-host");
        return data.resolve("audit.jsonl");
    }

    private List<JsonNode> records() {
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

    private List<JsonNode> ofType(String type) {
        return records().stream().filter(r -> r.path("type").asText().equals(type)).toList();
    }

    /** Waits for the request to be posted to Slack and the webhook; returns its id. */
    private String pendingRequest() throws InterruptedException {
        TestDaemon.eventually(WITHIN, "an approval request in the journal", () -> !ofType("approval.requested").isEmpty());
        String id = ofType("approval.requested").get(0).path("data").path("id").asText();
        TestDaemon.eventually(WITHIN, "posted to the Slack stub and the webhook receiver", () ->
                slack.calls("chat.postMessage").stream().anyMatch(c -> c.actionIds().contains("vigil_approve"))
                        && receiver.received.stream().anyMatch(h -> h.text().contains(id)));
        return id;
    }

    private HttpResponse<String> click(String user, String id) throws Exception {
        URI url = URI.create("http://127.0.0.1:" + daemon.httpPort() + "/slack/interactivity");
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                SlackStub.click(url, SIGNING_SECRET, user, "vigil_approve", id, InstantSource.system().instant().getEpochSecond()),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The types of the approval and playbook records, in journal order. */
    private List<String> transitions() {
        return records().stream().map(r -> r.path("type").asText())
                .filter(t -> t.startsWith("approval.") || t.startsWith("playbook.")).toList();
    }

    @Test
    @DisplayName("a medium-confidence decision goes to Slack and the webhook, a signed click approves it, the runner runs it")
    void aSignedSlackClickApprovesAndTheRealRunnerRunsThePlaybook() throws Exception {
        String id = pendingRequest();
        JsonNode decision = ofType("decision").get(0).path("data");
        assertEquals("approve", decision.path("decision").asText(), decision.toString());
        assertTrue(decision.path("confidence").asDouble() < 0.9, "medium confidence, not strong: " + decision);
        assertEquals("stuck", Files.readString(state).strip(), "nothing runs before the approval");
        WebhookReceiver.Received hook = receiver.received.stream().filter(h -> h.text().contains(id)).findFirst().orElseThrow();
        assertEquals(new WebhookSignature(WEBHOOK_SECRET, 1).sign(hook.id(), Long.parseLong(hook.timestamp()), hook.body()),
                hook.signature(), "signed per Standard Webhooks");
        assertEquals("approval.pending", JSON.readTree(hook.body()).path("type").asText());

        HttpResponse<String> res = click("U0ALICE", id);

        assertEquals(200, res.statusCode(), res.body());
        TestDaemon.eventually(WITHIN, "the approval records how the run ended", () -> ofType("approval.executed").stream()
                .anyMatch(r -> r.path("data").path("status").asText().equals("ran")));
        assertEquals("fixed", Files.readString(state).strip(), "the approved script ran");
        JsonNode approved = ofType("approval.approved").get(0).path("data");
        assertEquals("alice", approved.path("who").asText(), "the Slack user as the approver named in the config");
        assertEquals("slack", approved.path("channel").asText());
        assertTrue(approved.hasNonNull("at"));
        List<String> deliveries = ofType("approval.delivery").stream().map(r -> r.path("data").path("channel").asText()
                + "/" + r.path("data").path("delivered").asBoolean()).toList();
        assertTrue(deliveries.containsAll(List.of("slack/true", "webhook/true")), deliveries.toString());
        // approval.pending: the pipeline's record of the decision waiting; approval.requested: the request opened
        assertEquals(List.of("approval.pending", "approval.requested", "approval.approved", "approval.executed", "playbook.intent",
                "playbook.step", "playbook.verification", "playbook.outcome", "approval.executed"),
                transitions().stream().filter(t -> !t.equals("approval.delivery")).toList());
        assertEquals(List.of("started", "ran"), ofType("approval.executed").stream()
                .map(r -> r.path("data").path("status").asText()).toList());
        assertEquals("verified", ofType("playbook.outcome").get(0).path("data").path("outcome").asText());
        TestDaemon.eventually(WITHIN, "the Slack message shows the outcome, without buttons", () -> slack.calls("chat.update")
                .stream().anyMatch(c -> c.blocks().toString().contains("ran") && c.actionIds().isEmpty()));
        TestDaemon.eventually(WITHIN, "the webhook is told the outcome", () -> receiver.received.stream()
                .anyMatch(h -> h.text().contains("\"approval.approved.ran\"")));
    }

    @Test
    @DisplayName("an approval whose guards no longer hold when it is about to run is refused by the runner and audited")
    void anApprovalTheRunnersGuardsRefuseIsBlockedAndAudited() throws Exception {
        String id = pendingRequest();
        daemon.runner().orElseThrow().engageKillSwitch("carol", "incident 42");

        HttpResponse<String> res = click("U0ALICE", id);

        assertEquals(200, res.statusCode(), res.body());
        TestDaemon.eventually(WITHIN, "the approval is blocked", () -> !ofType("approval.blocked").isEmpty());
        JsonNode blocked = ofType("approval.blocked").get(0).path("data");
        assertEquals(id, blocked.path("id").asText());
        assertTrue(blocked.path("detail").asText().contains("kill-switch"), blocked.toString());
        JsonNode refused = ofType("playbook.refused").get(0).path("data");
        assertEquals("kill-switch", refused.path("guard").asText(), refused.toString());
        assertEquals("stuck", Files.readString(state).strip(), "the script did not run");
        assertTrue(ofType("playbook.intent").isEmpty(), "no run started");
        assertTrue(transitions().containsAll(List.of("approval.requested", "approval.approved", "playbook.refused",
                "approval.blocked")), transitions().toString());
    }

    @Test
    @DisplayName("a request pending when the daemon stops is restored by the next one, and its approval runs the decision")
    void aPendingRequestSurvivesARestartAndItsApprovalRunsThroughTheRunner() throws Exception {
        String id = pendingRequest();
        daemon.close();
        daemon = null;

        startDaemon(contentRoot);

        TestDaemon.eventually(WITHIN, "the request restored", () -> ofType("approval.restored").stream()
                .anyMatch(r -> r.path("data").path("id").asText().equals(id)));
        assertEquals(200, click("U0ALICE", id).statusCode());
        TestDaemon.eventually(WITHIN, "the restored decision ran", () -> ofType("approval.executed").stream()
                .anyMatch(r -> r.path("data").path("id").asText().equals(id) && r.path("data").path("status").asText().equals("ran")));
        assertEquals("fixed", Files.readString(state).strip(), "the approved script ran after the restart");
        String decision = ofType("approval.requested").get(0).path("data").path("decision").asText();
        assertEquals("run-" + decision, ofType("playbook.intent").get(0).path("data").path("run").asText(),
                "the run is of the decision approved before the restart");
    }
}
