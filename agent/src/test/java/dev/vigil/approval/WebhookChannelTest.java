package dev.vigil.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.decision.Decision;
import dev.vigil.decision.DecisionKind;
import dev.vigil.fact.Target;
import dev.vigil.testing.Await;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookChannelTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Duration WITHIN = Duration.ofSeconds(20);

    private final Fixtures.Clock clock = new Fixtures.Clock("2026-01-01T12:00:00Z");
    private final Fixtures.Audit audit = new Fixtures.Audit();
    private Vertx vertx;
    private WebhookReceiver receiver;
    private ScheduledExecutorService scheduler;
    private Approvals approvals;
    private WebhookChannel channel;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        receiver = new WebhookReceiver(vertx);
        scheduler = Executors.newScheduledThreadPool(2);
        approvals = new Approvals(clock, Approvals.DEFAULT_EXPIRY, Set.of(), audit, new Fixtures.Guards(), new Fixtures.Runner());
        channel = new WebhookChannel(receiver.url(), new WebhookSignature(SECRET, 10), Duration.ofSeconds(2),
                new Retrying(scheduler, new Retrying.Backoff(Duration.ofMillis(20), Duration.ofMillis(100), 6)), audit, clock,
                approvals::get);
        approvals.listen(channel);
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private List<Map<String, Object>> deliveries() {
        return audit.of("approval.delivery").stream().map(Fixtures.Record::data).toList();
    }

    @Test
    void aNotifyDecisionIsPostedSignedWithItsReasonsAndNothingToAnswer() throws Exception {
        Decision notify = new Decision("d-n1", 0, "disk-filling", Target.serviceHost("checkout", "app-1"), 0.41,
                DecisionKind.NOTIFY, null, List.of("confidence 0.41 is weak: notify"), 0,
                Map.of("disk-trend", "/var full in 3h"), Map.of());

        channel.notify(notify);

        Await.until(vertx, WITHIN, "the notice reached the receiver", () -> !receiver.received.isEmpty());
        WebhookReceiver.Received hook = receiver.received.get(0);
        assertEquals(new WebhookSignature(SECRET, 1).sign(hook.id(), Long.parseLong(hook.timestamp()), hook.body()),
                hook.signature(), "signed per Standard Webhooks");
        JsonNode event = JSON.readTree(hook.body());
        assertEquals("decision.notify", event.path("type").asText());
        assertEquals("d-n1", event.path("data").path("decision").asText());
        assertEquals("confidence 0.41 is weak: notify", event.path("data").path("reasons").get(0).asText());
        assertEquals("/var full in 3h", event.path("data").path("evidence").path("disk-trend").asText());
        assertFalse(event.path("data").has("id"), "no approval id: nothing to answer");
        Await.until(vertx, WITHIN, "the delivery is audited", () -> !deliveries().isEmpty());
        assertEquals(true, deliveries().get(0).get("delivered"));
        assertEquals("d-n1", deliveries().get(0).get("id"));
    }

    @Test
    void whenTheReceiverIsDownTheRequestIsRetriedWithBackoffAndTheDeliveryAudited() {
        receiver.failNext(3);
        ApprovalRequest r = approvals.open(Fixtures.approve("d-w1", 1), Fixtures.params());

        Await.until(vertx, WITHIN, "delivered after retries", () -> !deliveries().isEmpty());
        assertEquals(true, deliveries().get(0).get("delivered"), deliveries().toString());
        assertEquals(4, deliveries().get(0).get("attempts"));
        assertTrue(receiver.received.get(0).text().contains(r.id()));
    }

    @Test
    void whileTheReceiverIsDownTheRequestStillExpiresOnTimeAndRetriesStop() {
        receiver.failNext(Integer.MAX_VALUE);
        ApprovalRequest r = approvals.open(Fixtures.approve("d-w2", 1), Fixtures.params());
        clock.advance(Duration.ofMinutes(30));

        assertEquals(List.of(r.id()), approvals.expireDue().stream().map(ApprovalRequest::id).toList());
        Await.until(vertx, WITHIN, "the pending notice is given up", () -> deliveries().stream()
                .anyMatch(d -> "no longer wanted".equals(d.get("detail"))));
        assertTrue(audit.types().contains("approval.expired"));
    }
}
