package dev.vigil.api;

import dev.vigil.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import dev.vigil.approval.Answer;
import dev.vigil.approval.ApprovalRequest;
import dev.vigil.approval.ApprovalState;
import dev.vigil.approval.Approvals;
import dev.vigil.approval.Execution;
import dev.vigil.approval.Fixtures;
import dev.vigil.approval.Retrying;
import dev.vigil.approval.SlackChannel;
import dev.vigil.approval.SlackInteractions;
import dev.vigil.approval.SlackSignature;
import dev.vigil.approval.SlackStub;
import dev.vigil.approval.WebhookAnswers;
import dev.vigil.approval.WebhookChannel;
import dev.vigil.approval.WebhookReceiver;
import dev.vigil.approval.WebhookSignature;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The approval routes on a real HTTP server, with the Slack stub, a webhook receiver and real HTTP clients. */
class ApprovalRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final String SIGNING_SECRET = "slack-signing-secret-for-tests";
    private static final String WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    /** token value → name: alice approver, bob governor, vic viewer, mallory approver but not an allowed approver. */
    private static final Map<String, String> TOKENS = Map.of("t-alice", "alice", "t-bob", "bob", "t-vic", "vic", "t-mallory", "mallory");

    private final Fixtures.Clock clock = new Fixtures.Clock("2026-01-01T12:00:00Z");
    private final Fixtures.Audit audit = new Fixtures.Audit();
    private final Fixtures.Guards guards = new Fixtures.Guards();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private volatile CountDownLatch runnerGate;
    private final List<ApprovalRequest> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Vertx vertx;
    private SlackStub stub;
    private WebhookReceiver receiver;
    private Slack slack;
    private ScheduledExecutorService scheduler;
    private Approvals approvals;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        stub = new SlackStub(vertx);
        receiver = new WebhookReceiver(vertx);
        slack = SlackChannel.client(stub.apiUrl(), Duration.ofSeconds(2));
        scheduler = Executors.newScheduledThreadPool(2);
        approvals = new Approvals(clock, Approvals.DEFAULT_EXPIRY, Set.of("alice", "bob", "slack:U0ALICE", "slack:U0BOB"), audit,
                guards, approved -> {
                    CountDownLatch gate = runnerGate;
                    if (gate != null) {
                        try {
                            gate.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    ran.add(approved);
                    return new Execution(Execution.Status.DRY_RUN, "1 step planned");
                });
        Retrying retrying = new Retrying(scheduler, new Retrying.Backoff(Duration.ofMillis(20), Duration.ofMillis(100), 5));
        approvals.listen(new SlackChannel(slack.methods("xoxb-test"), "C0APPROVE", retrying, audit, approvals::get));
        WebhookSignature webhookSignature = new WebhookSignature(WEBHOOK_SECRET, 100);
        approvals.listen(new WebhookChannel(receiver.url(), webhookSignature, Duration.ofSeconds(2), retrying, audit, clock, approvals::get));
        Tokens tokens = new Tokens(List.of(
                new Tokens.Entry("alice", Tokens.sha256("t-alice"), Role.APPROVER),
                new Tokens.Entry("bob", Tokens.sha256("t-bob"), Role.GOVERNOR),
                new Tokens.Entry("vic", Tokens.sha256("t-vic"), Role.VIEWER),
                new Tokens.Entry("mallory", Tokens.sha256("t-mallory"), Role.APPROVER)));
        ApprovalRoutes routes = new ApprovalRoutes(vertx, approvals, tokens,
                Optional.of(new SlackInteractions(new SlackSignature(SIGNING_SECRET),
                        Map.of("U0ALICE", "slack:U0ALICE", "U0BOB", "slack:U0BOB"), approvals, clock)),
                Optional.of(new WebhookAnswers(webhookSignature, approvals, clock)));
        server = vertx.createHttpServer().requestHandler(routes.router()).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (runnerGate != null) {
            runnerGate.countDown();
        }
        scheduler.shutdownNow();
        slack.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private HttpResponse<String> send(String method, String path, String token, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> api(String method, String path, String token, String body) throws Exception {
        return send(method, path, token, body, body == null ? Map.of() : Map.of("content-type", "application/json"));
    }

    /** A Slack interactivity request as Slack sends it: form-encoded payload, signed at {@code signedAt}. */
    private HttpResponse<String> click(String user, String action, String id, long signedAt, String secret) throws Exception {
        return http.send(SlackStub.click(URI.create("http://127.0.0.1:" + server.actualPort() + "/slack/interactivity"),
                secret, user, action, id, signedAt), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> click(String user, String action, String id) throws Exception {
        return click(user, action, id, clock.instant().getEpochSecond(), SIGNING_SECRET);
    }

    /** A webhook answer signed per Standard Webhooks. */
    private HttpResponse<String> answer(String msgId, long signedAt, String secret, Map<String, String> answer) throws Exception {
        String body = JSON.writeValueAsString(answer);
        String sig = new WebhookSignature(secret, 1).sign(msgId, signedAt, body.getBytes(StandardCharsets.UTF_8));
        return send("POST", "/webhooks/approvals", null, body, Map.of("content-type", "application/json",
                "webhook-id", msgId, "webhook-timestamp", Long.toString(signedAt), "webhook-signature", sig));
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private ApprovalRequest open(String decision, int approvers) {
        return approvals.open(Fixtures.approve(decision, approvers), Fixtures.params());
    }

    private List<String> refusalCodes() {
        return audit.of("approval.refused").stream().map(r -> (String) r.data().get("code")).toList();
    }

    @Test
    void anApproveDecisionGoesToSlackAndTheWebhookAndASignedClickApprovesAndRunsThePlaybook() throws Exception {
        ApprovalRequest r = open("d-1", 1);
        // a cold first call may time out and be retried, so the stub and the receiver may see it more than once
        Await.until(vertx, WITHIN, "posted to Slack and the webhook", () -> audit.of("approval.delivery").stream()
                .filter(d -> Boolean.TRUE.equals(d.data().get("delivered"))).count() == 2);
        assertTrue(stub.calls("chat.postMessage").stream().allMatch(c -> c.actionIds().contains("vigil_approve")));

        WebhookReceiver.Received hook = receiver.received.get(receiver.received.size() - 1);
        assertEquals(new WebhookSignature(WEBHOOK_SECRET, 1).sign(hook.id(), Long.parseLong(hook.timestamp()), hook.body()),
                hook.signature(), "signed per Standard Webhooks");
        JsonNode event = JSON.readTree(hook.body());
        assertEquals("approval.pending", event.path("type").asText());
        assertEquals(r.id(), event.path("data").path("id").asText());
        assertEquals("recycle-pool", event.path("data").path("playbook").asText());

        HttpResponse<String> res = click("U0ALICE", "vigil_approve", r.id());

        assertEquals(200, res.statusCode(), res.body());
        assertEquals(List.of(r.id()), ran.stream().map(ApprovalRequest::id).toList());
        assertEquals(ApprovalState.APPROVED, approvals.get(r.id()).orElseThrow().state());
        assertEquals("slack:U0ALICE", audit.of("approval.approved").get(0).data().get("who"));
        assertEquals("slack", audit.of("approval.approved").get(0).data().get("channel"));
        Await.until(vertx, WITHIN, "Slack message and webhook show the outcome", () ->
                stub.calls("chat.update").stream().anyMatch(c -> c.blocks().toString().contains("dry-run") && c.actionIds().isEmpty())
                        && receiver.received.stream().anyMatch(h -> h.text().contains("\"approval.approved.dry-run\"")));
    }

    @Test
    void aForgedStaleOrFutureSlackRequestIsRefusedWith401AndAudited() throws Exception {
        ApprovalRequest r = open("d-2", 1);
        assertEquals(401, click("U0ALICE", "vigil_approve", r.id(), now(), "not-the-secret").statusCode());
        assertEquals(401, click("U0ALICE", "vigil_approve", r.id(), now() - 301, SIGNING_SECRET).statusCode());
        assertEquals(401, click("U0ALICE", "vigil_approve", r.id(), now() + 301, SIGNING_SECRET).statusCode());
        assertEquals(401, send("POST", "/slack/interactivity", null, "payload=%7B%7D", Map.of()).statusCode());

        assertEquals(List.of("bad_signature", "stale", "stale", "bad_signature"), refusalCodes());
        assertTrue(ran.isEmpty());
        assertEquals(ApprovalState.PENDING, approvals.get(r.id()).orElseThrow().state());
    }

    @Test
    void aSlackUserWhoIsNotAllowedIsRefusedWith403AndAudited() throws Exception {
        ApprovalRequest r = open("d-3", 1);
        HttpResponse<String> res = click("U0MALLORY", "vigil_approve", r.id());
        assertEquals(403, res.statusCode(), res.body());
        assertEquals(List.of("not_allowed"), refusalCodes());
        assertEquals("slack:U0MALLORY", audit.of("approval.refused").get(0).data().get("who"));
        assertTrue(ran.isEmpty());
    }

    @Test
    void theSameSlackUserApprovingTwiceDoesNotMakeTwoApprovers() throws Exception {
        ApprovalRequest r = open("d-4", 2);
        assertEquals(200, click("U0ALICE", "vigil_approve", r.id()).statusCode());
        HttpResponse<String> replay = click("U0ALICE", "vigil_approve", r.id());
        assertEquals(409, replay.statusCode(), replay.body());
        assertTrue(ran.isEmpty());
        assertEquals(200, click("U0BOB", "vigil_approve", r.id()).statusCode());
        assertEquals(1, ran.size());
        assertEquals(List.of("duplicate_approver"), refusalCodes());
    }

    @Test
    void aSlackDenyEndsTheRequest() throws Exception {
        ApprovalRequest r = open("d-5", 1);
        assertEquals(200, click("U0BOB", "vigil_deny", r.id()).statusCode());
        assertEquals(ApprovalState.DENIED, approvals.get(r.id()).orElseThrow().state());
        assertEquals(409, click("U0ALICE", "vigil_approve", r.id()).statusCode());
        assertTrue(ran.isEmpty());
    }

    @Test
    void slackGetsAnAnswerWithinThreeSecondsEvenWhenTheActionTakesLonger() throws Exception {
        ApprovalRequest r = open("d-6", 1);
        runnerGate = new CountDownLatch(1);
        long t0 = System.nanoTime();
        HttpResponse<String> res = click("U0ALICE", "vigil_approve", r.id());
        long tookMillis = (System.nanoTime() - t0) / 1_000_000;

        assertEquals(200, res.statusCode(), res.body());
        assertTrue(tookMillis < 3000, "answered after " + tookMillis + " ms");
        assertTrue(ran.isEmpty(), "the runner is still held");
        runnerGate.countDown();
        Await.until(vertx, WITHIN, "the action ran after the answer", () -> ran.size() == 1);
    }

    @Test
    void anAnswerAfterExpiryIsRefused() throws Exception {
        ApprovalRequest r = open("d-7", 1);
        clock.advance(Duration.ofMinutes(31));
        HttpResponse<String> res = click("U0ALICE", "vigil_approve", r.id());
        assertEquals(409, res.statusCode(), res.body());
        assertTrue(res.body().contains("expired"), res.body());
        assertEquals(409, api("POST", "/api/v1/approvals/" + r.id() + "/approve", "t-alice", null).statusCode());
        assertEquals(List.of("not_pending", "not_pending"), refusalCodes());
        assertTrue(ran.isEmpty());
    }

    @Test
    void anApprovalWhoseGuardsNoLongerHoldIsRecordedButNotRun() throws Exception {
        ApprovalRequest r = open("d-8", 1);
        guards.refusal = "circuit open for recycle-pool";
        HttpResponse<String> res = api("POST", "/api/v1/approvals/" + r.id() + "/approve", "t-alice", null);
        assertEquals(200, res.statusCode(), res.body());
        JsonNode body = JSON.readTree(res.body());
        assertEquals("blocked", body.path("approval").path("execution").path("status").asText());
        assertTrue(ran.isEmpty());
        assertEquals(1, audit.of("approval.blocked").size());
    }

    @Test
    void aSignedWebhookAnswerApprovesAndItsReplayForgeryAndStaleCopiesAreRefused() throws Exception {
        ApprovalRequest r = open("d-9", 2);
        Map<String, String> yes = Map.of("approval_id", r.id(), "action", "approve", "approver", "alice");

        assertEquals(401, answer("msg_1", now(), "whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY", yes).statusCode());
        assertEquals(401, answer("msg_2", now() - 400, WEBHOOK_SECRET, yes).statusCode());
        assertEquals(401, answer("msg_3", now() + 400, WEBHOOK_SECRET, yes).statusCode());
        assertEquals(200, answer("msg_4", now(), WEBHOOK_SECRET, yes).statusCode());
        assertEquals(409, answer("msg_4", now(), WEBHOOK_SECRET, yes).statusCode());
        assertEquals(403, answer("msg_5", now(), WEBHOOK_SECRET,
                Map.of("approval_id", r.id(), "action", "approve", "approver", "mallory")).statusCode());
        assertEquals(200, answer("msg_6", now(), WEBHOOK_SECRET,
                Map.of("approval_id", r.id(), "action", "approve", "approver", "bob")).statusCode());

        assertEquals(List.of("bad_signature", "stale", "stale", "replayed", "not_allowed"), refusalCodes());
        assertEquals(1, ran.size());
        assertEquals(List.of("webhook", "webhook"), approvals.get(r.id()).orElseThrow().approvals().stream()
                .map(v -> v.channel().wireName()).toList());
    }

    @Test
    void everyApiRouteAnswers401WithoutAValidTokenAnd403WhenTheRoleIsTooLow() throws Exception {
        ApprovalRequest r = open("d-10", 1);
        String approve = "/api/v1/approvals/" + r.id() + "/approve";
        String deny = "/api/v1/approvals/" + r.id() + "/deny";
        String reason = "{\"reason\": \"not now\"}";
        for (String[] route : new String[][] {{"GET", "/api/v1/approvals"}, {"GET", "/api/v1/approvals/" + r.id()},
                {"POST", approve}, {"POST", deny}}) {
            String body = route[0].equals("POST") ? reason : null;
            HttpResponse<String> none = api(route[0], route[1], null, body);
            assertEquals(401, none.statusCode(), route[1]);
            assertEquals("Bearer realm=\"vigil\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(401, api(route[0], route[1], "t-wrong", body).statusCode(), route[1]);
        }
        assertEquals(403, api("POST", approve, "t-vic", null).statusCode());
        assertEquals(403, api("POST", deny, "t-vic", reason).statusCode());
        assertEquals(200, api("GET", "/api/v1/approvals", "t-vic", null).statusCode());
        assertEquals(ApprovalState.PENDING, approvals.get(r.id()).orElseThrow().state());
        assertTrue(ran.isEmpty());
    }

    @Test
    void anApproverListsApprovesAndDeniesThroughTheApi() throws Exception {
        ApprovalRequest first = open("d-11", 1);
        ApprovalRequest second = open("d-12", 1);
        JsonNode pending = JSON.readTree(api("GET", "/api/v1/approvals", "t-vic", null).body()).path("approvals");
        assertEquals(List.of(first.id(), second.id()), List.of(pending.get(0).path("id").asText(), pending.get(1).path("id").asText()));

        assertEquals(200, api("POST", "/api/v1/approvals/" + first.id() + "/approve", "t-bob", null).statusCode(),
                "a governor may do what an approver may");
        assertEquals(400, api("POST", "/api/v1/approvals/" + second.id() + "/deny", "t-alice", "{}").statusCode());
        HttpResponse<String> denied = api("POST", "/api/v1/approvals/" + second.id() + "/deny", "t-alice", "{\"reason\": \"maintenance window\"}");
        assertEquals(200, denied.statusCode(), denied.body());
        assertEquals("maintenance window", JSON.readTree(denied.body()).path("approval").path("resolution").path("reason").asText());

        assertTrue(JSON.readTree(api("GET", "/api/v1/approvals", "t-vic", null).body()).path("approvals").isEmpty());
        assertEquals(2, JSON.readTree(api("GET", "/api/v1/approvals?state=all", "t-vic", null).body()).path("approvals").size());
        assertEquals(400, api("GET", "/api/v1/approvals?state=maybe", "t-vic", null).statusCode());
        assertEquals(404, api("POST", "/api/v1/approvals/apr-none/approve", "t-alice", null).statusCode());
        assertEquals(403, api("POST", "/api/v1/approvals/" + open("d-13", 1).id() + "/approve", "t-mallory", null).statusCode(),
                "an approver token whose name is not an allowed approver");
        assertFalse(audit.of("approval.denied").isEmpty());
        assertEquals("api", audit.of("approval.denied").get(0).data().get("channel"));
    }

    @Test
    void onePersonIsOneApproverOnEveryChannelWhenTheConfigMapsTheirSlackUserToTheirName() throws Exception {
        SlackInteractions mapped = new SlackInteractions(new SlackSignature(SIGNING_SECRET), Map.of("U0ALICE", "alice"),
                approvals, clock);
        ApprovalRequest r = open("d-14", 2);
        assertEquals(200, api("POST", "/api/v1/approvals/" + r.id() + "/approve", "t-alice", null).statusCode());
        String ts = Long.toString(now());
        byte[] body = SlackStub.clickBody("U0ALICE", "vigil_approve", r.id()).getBytes(StandardCharsets.UTF_8);

        Answer again = mapped.handle(ts, new SlackSignature(SIGNING_SECRET).sign(ts, body), body);

        assertEquals(Answer.Code.DUPLICATE_APPROVER, again.code(), again.message());
        assertEquals(List.of("alice"), approvals.get(r.id()).orElseThrow().approvals().stream().map(v -> v.who()).toList());
        var refused = audit.of("approval.refused").get(0).data();
        assertEquals("alice", refused.get("who"));
        assertEquals("slack", refused.get("channel"));
        assertTrue(ran.isEmpty());
    }
}
