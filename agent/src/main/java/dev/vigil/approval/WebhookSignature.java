package dev.vigil.approval;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Standard Webhooks signatures: {@code webhook-signature: v1,} base64 HMAC-SHA256 of {@code id.timestamp.body},
 * keyed by the base64 part of a {@code whsec_} secret; a message is accepted only within five minutes of now (either
 * direction) and only once per {@code webhook-id}. The replay memory is bounded: ids whose timestamp has left the
 * window are forgotten (the window refuses them anyway), and when it is still full new messages are refused as busy.
 * Thread-safe.
 */
public final class WebhookSignature {
    public static final Duration WINDOW = Duration.ofMinutes(5);
    private static final int MAX_ID = 256;

    private final byte[] key;
    private final int memory;
    /** webhook-id to its timestamp (epoch seconds), oldest first. */
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    /**
     * @param secret {@code whsec_} followed by base64 (the prefix may be left out)
     * @param memory how many ids to remember at most
     */
    public WebhookSignature(String secret, int memory) {
        String s = secret == null ? "" : secret.trim();
        if (s.startsWith("whsec_")) {
            s = s.substring("whsec_".length());
        }
        try {
            this.key = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the webhook secret must be whsec_ followed by base64: " + e.getMessage());
        }
        if (key.length < 16) {
            throw new IllegalArgumentException("the webhook secret must hold at least 16 bytes, held " + key.length);
        }
        if (memory < 1) {
            throw new IllegalArgumentException("memory must be >= 1, was " + memory);
        }
        this.memory = memory;
    }

    /** The {@code webhook-signature} value for a message. */
    public String sign(String id, long timestampSeconds, byte[] body) {
        byte[] mac = Hmac.sha256(key, (id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8), body);
        return "v1," + Base64.getEncoder().encodeToString(mac);
    }

    /** Why the message is refused, or empty when it is signed, fresh and new (it is then remembered). */
    public Optional<Answer> refusal(String id, String timestamp, String signatures, byte[] body, Instant now) {
        if (id == null || id.isBlank() || id.length() > MAX_ID || timestamp == null || signatures == null) {
            return refused(Answer.Code.BAD_SIGNATURE, "missing or oversized webhook-id, webhook-timestamp or webhook-signature");
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return refused(Answer.Code.BAD_SIGNATURE, "webhook-timestamp is not a number");
        }
        long skew = Math.abs(now.getEpochSecond() - ts);
        if (skew > WINDOW.toSeconds()) {
            return refused(Answer.Code.STALE, "webhook-timestamp is " + skew + " s away from now (window " + WINDOW.toSeconds() + " s)");
        }
        byte[] expected = sign(id, ts, body).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String candidate : signatures.trim().split(" +")) {
            // compare every candidate, so timing does not tell which one matched
            match |= Hmac.same(expected, candidate.getBytes(StandardCharsets.US_ASCII));
        }
        if (!match) {
            return refused(Answer.Code.BAD_SIGNATURE, "no webhook-signature matches the body");
        }
        synchronized (seen) {
            if (seen.containsKey(id)) {
                return refused(Answer.Code.REPLAYED, "webhook-id " + id + " was already received");
            }
            forgetOutsideWindow(now.getEpochSecond());
            if (seen.size() >= memory) {
                return refused(Answer.Code.BUSY, "too many webhook messages within the window to guard against replay");
            }
            seen.put(id, ts);
        }
        return Optional.empty();
    }

    private void forgetOutsideWindow(long nowSeconds) {
        for (Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            if (Math.abs(nowSeconds - it.next().getValue()) > WINDOW.toSeconds()) {
                it.remove();
            }
        }
    }

    private static Optional<Answer> refused(Answer.Code code, String message) {
        return Optional.of(Answer.refused(code, message));
    }

    @Override
    public String toString() {
        return "WebhookSignature[<secret>]";
    }
}
