package dev.vigil.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SlackSignatureTest {
    private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final byte[] BODY = "payload=%7B%22type%22%3A%22block_actions%22%7D".getBytes(StandardCharsets.UTF_8);
    private final SlackSignature signature = new SlackSignature(SECRET);

    /** Slack's documented recipe, computed here independently of the code under test. */
    private static String documented(String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
        return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void aRequestSignedAsSlackDocumentsIsAccepted() throws Exception {
        String ts = Long.toString(NOW.getEpochSecond());
        assertEquals(documented(ts, BODY), signature.sign(ts, BODY));
        assertTrue(signature.refusal(ts, documented(ts, BODY), BODY, NOW).isEmpty());
    }

    @Test
    void aForgedSignatureOrAChangedBodyIsRefused() throws Exception {
        String ts = Long.toString(NOW.getEpochSecond());
        String good = documented(ts, BODY);
        String forged = good.substring(0, good.length() - 1) + (good.endsWith("0") ? "1" : "0");
        assertEquals(Answer.Code.BAD_SIGNATURE, signature.refusal(ts, forged, BODY, NOW).orElseThrow().code());
        byte[] changed = BODY.clone();
        changed[changed.length - 1] ^= 1;
        assertEquals(Answer.Code.BAD_SIGNATURE, signature.refusal(ts, good, changed, NOW).orElseThrow().code());
        assertEquals(Answer.Code.BAD_SIGNATURE, new SlackSignature("another-secret").refusal(ts, good, BODY, NOW).orElseThrow().code());
        assertEquals(Answer.Code.BAD_SIGNATURE, signature.refusal(null, good, BODY, NOW).orElseThrow().code());
        assertEquals(Answer.Code.BAD_SIGNATURE, signature.refusal(ts, null, BODY, NOW).orElseThrow().code());
        assertEquals(Answer.Code.BAD_SIGNATURE, signature.refusal("soon", good, BODY, NOW).orElseThrow().code());
    }

    @Test
    void timestampsMoreThanFiveMinutesInThePastOrTheFutureAreRefused() throws Exception {
        for (long skew : new long[] {-301, 301, -86_400, 86_400}) {
            String ts = Long.toString(NOW.getEpochSecond() + skew);
            Answer a = signature.refusal(ts, documented(ts, BODY), BODY, NOW).orElseThrow();
            assertEquals(Answer.Code.STALE, a.code(), "skew " + skew);
        }
        for (long skew : new long[] {-300, 300}) {
            String ts = Long.toString(NOW.getEpochSecond() + skew);
            assertTrue(signature.refusal(ts, documented(ts, BODY), BODY, NOW).isEmpty(), "skew " + skew);
        }
    }

    @Test
    void theSecretNeverPrints() {
        assertEquals("SlackSignature[<secret>]", signature.toString());
    }
}
