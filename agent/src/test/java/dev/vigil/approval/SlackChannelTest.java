package dev.vigil.approval;

import dev.vigil.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.Slack;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Slack channel through the official SDK, against a stub of the Web API on loopback. */
class SlackChannelTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);

    private Vertx vertx;
    private SlackStub stub;
    private Slack slack;
    private ScheduledExecutorService scheduler;
    private final Fixtures.Clock clock = new Fixtures.Clock("2026-01-01T12:00:00Z");
    private final Fixtures.Audit audit = new Fixtures.Audit();
    private final Fixtures.Runner runner = new Fixtures.Runner();
    private Approvals approvals;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        stub = new SlackStub(vertx);
        slack = SlackChannel.client(stub.apiUrl(), Duration.ofMillis(300));
        scheduler = Executors.newScheduledThreadPool(2);
        approvals = new Approvals(clock, Approvals.DEFAULT_EXPIRY, Set.of(), audit, new Fixtures.Guards(), runner);
        SlackChannel channel = new SlackChannel(slack.methods("xoxb-test-token"), "C0APPROVE",
                new Retrying(scheduler, new Retrying.Backoff(Duration.ofMillis(20), Duration.ofMillis(100), 6)), audit, approvals::get);
        approvals.listen(channel);
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.shutdownNow();
        slack.close();
        stub.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private List<Fixtures.Record> deliveries() {
        return audit.of("approval.delivery");
    }

    @Test
    void aRequestIsPostedWithEvidenceConfidenceReasonsAndApproveDenyButtonsWithAConfirmOnApprove() {
        approvals.open(Fixtures.approve("d-1", 1), Fixtures.params());
        Await.until(vertx, WITHIN, "the request is posted", () -> stub.calls("chat.postMessage").size() == 1);

        SlackStub.Call post = stub.calls("chat.postMessage").get(0);
        assertEquals("Bearer xoxb-test-token", post.authorization());
        assertEquals("C0APPROVE", post.form().get("channel"));
        String blocks = post.blocks().toString();
        assertTrue(blocks.contains("0.72"), blocks);
        assertTrue(blocks.contains("pool HikariPool-1 saturated 10/10 for 75s"), blocks);
        assertTrue(blocks.contains("confidence 0.72 is medium"), blocks);
        assertEquals(List.of("vigil_approve", "vigil_deny"), post.actionIds());
        JsonNode approve = post.blocks().findParents("action_id").stream()
                .filter(b -> b.path("action_id").asText().equals("vigil_approve")).findFirst().orElseThrow();
        assertEquals("apr-d-1", approve.path("value").asText());
        assertTrue(approve.has("confirm"), "Approve asks for confirmation");
        JsonNode deny = post.blocks().findParents("action_id").stream()
                .filter(b -> b.path("action_id").asText().equals("vigil_deny")).findFirst().orElseThrow();
        assertTrue(!deny.has("confirm"), "Deny needs no confirmation");
    }

    @Test
    void theMessageIsUpdatedWithTheOutcomeAndLosesItsButtons() {
        ApprovalRequest r = approvals.open(Fixtures.approve("d-2", 1), Fixtures.params());
        Await.until(vertx, WITHIN, "posted", () -> deliveries().size() == 1);
        approvals.approve(r.id(), "slack:U0ALICE", Channel.SLACK);

        Await.until(vertx, WITHIN, "updated with the outcome", () -> stub.calls("chat.update").stream()
                .anyMatch(c -> c.blocks().toString().contains("dry-run")));
        SlackStub.Call update = stub.calls("chat.update").get(stub.calls("chat.update").size() - 1);
        assertEquals(stub.calls("chat.postMessage").get(0).form().get("channel"), update.form().get("channel"));
        assertTrue(update.form().get("ts").startsWith("1700000000."), update.form().toString());
        assertTrue(update.actionIds().isEmpty(), "no buttons once answered");
        assertTrue(update.blocks().toString().contains("slack:U0ALICE"), update.blocks().toString());
    }

    @Test
    void whenSlackIsDownThePostIsRetriedWithBackoffUntilItGetsThrough() {
        stub.failNext(3);
        approvals.open(Fixtures.approve("d-3", 1), Fixtures.params());

        Await.until(vertx, WITHIN, "delivered after retries", () -> !deliveries().isEmpty());
        var done = deliveries().get(0).data();
        assertEquals(true, done.get("delivered"), done.toString());
        assertEquals(4, done.get("attempts"));
        assertEquals(4, stub.calls("chat.postMessage").size());
    }

    @Test
    void whenSlackIsSlowTheCallTimesOutAndIsRetried() {
        stub.delay(1000);
        approvals.open(Fixtures.approve("d-4", 1), Fixtures.params());
        Await.until(vertx, WITHIN, "two slow attempts", () -> stub.calls("chat.postMessage").size() >= 2);
        stub.delay(0);

        Await.until(vertx, WITHIN, "delivered once Slack is fast again", () -> deliveries().stream()
                .anyMatch(d -> Boolean.TRUE.equals(d.data().get("delivered"))));
        assertTrue((int) deliveries().get(0).data().get("attempts") >= 3, deliveries().toString());
    }

    @Test
    void whileSlackIsDownTheRequestStillExpiresOnTimeAndRetriesStop() {
        stub.failNext(Integer.MAX_VALUE);
        ApprovalRequest r = approvals.open(Fixtures.approve("d-5", 1), Fixtures.params());
        Await.until(vertx, WITHIN, "Slack was tried", () -> stub.calls("chat.postMessage").size() >= 2);

        clock.advance(Duration.ofMinutes(30));
        List<ApprovalRequest> expired = approvals.expireDue();

        assertEquals(List.of(r.id()), expired.stream().map(ApprovalRequest::id).toList());
        assertEquals(r.expiresAt(), expired.get(0).resolution().at());
        Await.until(vertx, WITHIN, "the post is given up", () -> !deliveries().isEmpty());
        var done = deliveries().get(0).data();
        assertEquals(false, done.get("delivered"));
        assertEquals("no longer wanted", done.get("detail"));
        assertTrue(runner.ran.isEmpty());
        assertTrue(audit.types().contains("approval.expired"));
    }

    @Test
    void whileSlackIsSlowTheRequestStillExpiresOnTimeAndTheSlowPostIsGivenUp() {
        stub.delay(5_000); // every call outlasts the 300 ms call timeout
        ApprovalRequest r = approvals.open(Fixtures.approve("d-5s", 1), Fixtures.params());
        Await.until(vertx, WITHIN, "a slow call timed out and was retried", () -> stub.calls("chat.postMessage").size() >= 2);

        clock.advance(Duration.ofMinutes(30));
        List<ApprovalRequest> expired = approvals.expireDue();

        assertEquals(List.of(r.id()), expired.stream().map(ApprovalRequest::id).toList(), "expiry does not wait for Slack");
        assertEquals(r.expiresAt(), expired.get(0).resolution().at());
        Await.until(vertx, WITHIN, "the post is given up", () -> !deliveries().isEmpty());
        var done = deliveries().get(0).data();
        assertEquals(false, done.get("delivered"), done.toString());
        assertEquals("no longer wanted", done.get("detail"));
        assertTrue(audit.types().contains("approval.expired"));
        assertTrue(runner.ran.isEmpty());
    }

    @Test
    void aNotifyDecisionIsPostedWithoutButtons() {
        SlackChannel channel = new SlackChannel(slack.methods("xoxb-test-token"), "C0NOTIFY",
                new Retrying(scheduler, Retrying.Backoff.defaults()), audit, approvals::get);
        var d = Fixtures.approve("d-6", 1);
        channel.notify(new dev.vigil.decision.Decision(d.id(), 0, d.signature(), d.target(), 0.41,
                dev.vigil.decision.DecisionKind.NOTIFY, null, List.of("confidence 0.41 is weak: notify"), 0, d.evidence(), d.bindings()));

        Await.until(vertx, WITHIN, "notified", () -> stub.calls("chat.postMessage").size() == 1);
        SlackStub.Call post = stub.calls("chat.postMessage").get(0);
        assertEquals("C0NOTIFY", post.form().get("channel"));
        assertTrue(post.actionIds().isEmpty());
        assertTrue(post.blocks().toString().contains("confidence 0.41 is weak"), post.blocks().toString());
    }

    @Test
    void aPlaybooksNotifyMessageIsPostedAsPlainTextSoItCannotMentionOrLink() {
        SlackChannel channel = new SlackChannel(slack.methods("xoxb-test-token"), "C0NOTIFY",
                new Retrying(scheduler, Retrying.Backoff.defaults()), audit, approvals::get);
        channel.message("run-d-7", "restarted checkout on <!channel> <https://evil.example|app-1>");

        Await.until(vertx, WITHIN, "posted", () -> stub.calls("chat.postMessage").size() == 1);
        SlackStub.Call post = stub.calls("chat.postMessage").get(0);
        assertEquals("C0NOTIFY", post.form().get("channel"));
        String blocks = post.blocks().toString();
        assertTrue(blocks.contains("plain_text"), blocks);
        assertTrue(!blocks.contains("mrkdwn"), blocks);
        assertTrue(post.form().get("text").contains("&lt;!channel&gt;"), "the fallback text is escaped: " + post.form().get("text"));
    }
}
