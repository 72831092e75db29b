package dev.vigil.approval;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Slack's request signature, exactly as Slack documents it: {@code X-Slack-Signature: v0=} hex HMAC-SHA256, keyed by
 * the signing secret, of {@code v0:} + {@code X-Slack-Request-Timestamp} + {@code :} + the raw body bytes; refused
 * when the timestamp is more than five minutes away from now in either direction. Immutable; thread-safe.
 *
 * <p>The SDK's own verifier is not in {@code slack-api-client}, and checks only that a timestamp is not too old.
 */
public final class SlackSignature {
    public static final Duration WINDOW = Duration.ofMinutes(5);

    private final byte[] secret;

    public SlackSignature(String signingSecret) {
        if (signingSecret == null || signingSecret.isBlank()) {
            throw new IllegalArgumentException("the Slack signing secret is empty");
        }
        this.secret = signingSecret.trim().getBytes(StandardCharsets.UTF_8);
    }

    /** The signature header value for a body sent at {@code timestamp} (epoch seconds); for tests and tools. */
    public String sign(String timestamp, byte[] body) {
        return "v0=" + HexFormat.of().formatHex(Hmac.sha256(secret,
                ("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8), body));
    }

    /** Why the request is not Slack's, or empty when it is. */
    public Optional<Answer> refusal(String timestamp, String signature, byte[] body, Instant now) {
        if (timestamp == null || signature == null) {
            return Optional.of(Answer.refused(Answer.Code.BAD_SIGNATURE, "missing X-Slack-Request-Timestamp or X-Slack-Signature"));
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Optional.of(Answer.refused(Answer.Code.BAD_SIGNATURE, "X-Slack-Request-Timestamp is not a number"));
        }
        long skew = Math.abs(now.getEpochSecond() - seconds);
        if (skew > WINDOW.toSeconds()) {
            return Optional.of(Answer.refused(Answer.Code.STALE, "X-Slack-Request-Timestamp is " + skew
                    + " s away from now (window " + WINDOW.toSeconds() + " s)"));
        }
        byte[] expected = sign(timestamp.trim(), body).getBytes(StandardCharsets.US_ASCII);
        if (!Hmac.same(expected, signature.trim().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(Answer.refused(Answer.Code.BAD_SIGNATURE, "X-Slack-Signature does not match the body"));
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "SlackSignature[<secret>]";
    }
}
