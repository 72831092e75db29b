package dev.vigil.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Posts each new state of an approval request as JSON to a chat or incident tool, signed per Standard Webhooks
 * ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}); the body is
 * {@code {"type": "approval.pending" | "approval.approved" | …, "timestamp": …, "data": request}}. Retries with
 * backoff on network errors, 429 and 5xx; the end of each delivery is audited. Thread-safe.
 */
public final class WebhookChannel implements Approvals.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final WebhookSignature signer;
    private final HttpClient http;
    private final Duration timeout;
    private final Retrying retrying;
    private final Approvals.Audit audit;
    private final InstantSource clock;
    private final Function<String, Optional<ApprovalRequest>> lookup;

    public WebhookChannel(URI url, WebhookSignature signer, Duration timeout, Retrying retrying, Approvals.Audit audit,
                          InstantSource clock, Function<String, Optional<ApprovalRequest>> lookup) {
        this.url = url;
        this.signer = signer;
        this.timeout = timeout;
        this.retrying = retrying;
        this.audit = audit;
        this.clock = clock;
        this.lookup = lookup;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void changed(ApprovalRequest r) {
        String type = "approval." + r.state().wireName() + (r.execution() == null ? "" : "." + r.execution().status().wireName());
        String msgId = "msg_" + r.id() + "_" + r.approvals().size() + "_" + type;
        byte[] body;
        try {
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put("type", type);
            envelope.put("timestamp", clock.instant().toString());
            envelope.put("data", r.asMap());
            body = JSON.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an approval request must render as JSON: " + e.getOriginalMessage(), e);
        }
        // a pending request is wanted only while it is pending; an outcome is always worth telling
        boolean isNew = r.state() == ApprovalState.PENDING;
        retrying.deliver("webhook " + msgId, () -> send(msgId, body),
                () -> !isNew || lookup.apply(r.id()).map(now -> now.state() == ApprovalState.PENDING).orElse(false),
                done -> done.audit(audit, "webhook", msgId, r.id()));
    }

    private Delivery send(String msgId, byte[] body) {
        long ts = clock.instant().getEpochSecond();
        HttpRequest req = HttpRequest.newBuilder(url).timeout(timeout)
                .header("content-type", "application/json")
                .header("webhook-id", msgId)
                .header("webhook-timestamp", Long.toString(ts))
                .header("webhook-signature", signer.sign(msgId, ts, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return Delivery.ok("HTTP " + status);
            }
            return status == 429 || status >= 500 ? Delivery.retry("HTTP " + status) : Delivery.fail("HTTP " + status);
        } catch (IOException e) {
            return Delivery.retry("unreachable or slow: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Delivery.fail("interrupted");
        }
    }
}
