package dev.vigil.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    /** The example of the Standard Webhooks specification's reference libraries. */
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TS = 1614265330;
    private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static final Instant AT_SPEC = Instant.ofEpochSecond(SPEC_TS);

    @Test
    void signsLikeTheSpecificationsExample() {
        assertEquals(SPEC_SIGNATURE, new WebhookSignature(SPEC_SECRET, 10).sign(SPEC_ID, SPEC_TS, SPEC_BODY));
    }

    @Test
    void aSignedFreshMessageIsAcceptedAmongSeveralSignatures() {
        WebhookSignature s = new WebhookSignature(SPEC_SECRET, 10);
        assertTrue(s.refusal(SPEC_ID, Long.toString(SPEC_TS), "v1,bm90IGl0 " + SPEC_SIGNATURE, SPEC_BODY, AT_SPEC).isEmpty());
    }

    @Test
    void aForgedSignatureIsRefused() {
        WebhookSignature s = new WebhookSignature(SPEC_SECRET, 10);
        String forged = new WebhookSignature("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY", 10).sign(SPEC_ID, SPEC_TS, SPEC_BODY);
        assertEquals(Answer.Code.BAD_SIGNATURE, s.refusal(SPEC_ID, Long.toString(SPEC_TS), forged, SPEC_BODY, AT_SPEC).orElseThrow().code());
        assertEquals(Answer.Code.BAD_SIGNATURE,
                s.refusal("msg_other", Long.toString(SPEC_TS), SPEC_SIGNATURE, SPEC_BODY, AT_SPEC).orElseThrow().code());
        assertEquals(Answer.Code.BAD_SIGNATURE, s.refusal(SPEC_ID, null, SPEC_SIGNATURE, SPEC_BODY, AT_SPEC).orElseThrow().code());
    }

    @Test
    void staleAndFutureTimestampsAreRefused() {
        WebhookSignature s = new WebhookSignature(SPEC_SECRET, 10);
        assertEquals(Answer.Code.STALE, s.refusal(SPEC_ID, Long.toString(SPEC_TS), SPEC_SIGNATURE, SPEC_BODY,
                AT_SPEC.plusSeconds(301)).orElseThrow().code());
        assertEquals(Answer.Code.STALE, s.refusal(SPEC_ID, Long.toString(SPEC_TS), SPEC_SIGNATURE, SPEC_BODY,
                AT_SPEC.minusSeconds(301)).orElseThrow().code());
    }

    @Test
    void aReplayedWebhookIdIsRefused() {
        WebhookSignature s = new WebhookSignature(SPEC_SECRET, 10);
        assertTrue(s.refusal(SPEC_ID, Long.toString(SPEC_TS), SPEC_SIGNATURE, SPEC_BODY, AT_SPEC).isEmpty());
        assertEquals(Answer.Code.REPLAYED, s.refusal(SPEC_ID, Long.toString(SPEC_TS), SPEC_SIGNATURE, SPEC_BODY,
                AT_SPEC.plusSeconds(10)).orElseThrow().code());
    }

    @Test
    void theReplayMemoryIsBoundedAndForgetsOnlyWhatTheWindowRefusesAnyway() {
        WebhookSignature s = new WebhookSignature(SPEC_SECRET, 2);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        for (String id : new String[] {"a", "b"}) {
            assertTrue(s.refusal(id, Long.toString(SPEC_TS), s.sign(id, SPEC_TS, body), body, AT_SPEC).isEmpty());
        }
        assertEquals(Answer.Code.BUSY, s.refusal("c", Long.toString(SPEC_TS), s.sign("c", SPEC_TS, body), body, AT_SPEC)
                .orElseThrow().code(), "full of ids still inside the window: refuse rather than forget one");

        Instant later = AT_SPEC.plusSeconds(400);
        long ts = later.getEpochSecond();
        assertTrue(s.refusal("c", Long.toString(ts), s.sign("c", ts, body), body, later).isEmpty());
        assertEquals(Answer.Code.STALE, s.refusal("a", Long.toString(SPEC_TS), s.sign("a", SPEC_TS, body), body, later)
                .orElseThrow().code(), "a forgotten id cannot come back: its timestamp is outside the window");
    }

    @Test
    void aSecretThatIsNotBase64OrTooShortIsMisuse() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WebhookSignature("whsec_%%%", 10));
        assertTrue(e.getMessage().contains("base64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WebhookSignature("whsec_c2hvcnQ=", 10));
        assertEquals("WebhookSignature[<secret>]", new WebhookSignature(SPEC_SECRET, 1).toString());
    }
}
