package dev.vigil.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.decision.Decision;
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
 * {@code {"type": "approval.pending" | "approval.approved" | …, "timestamp": …, "data": request}}; notify decisions
 * and playbook notify messages go the same way ({@code decision.notify}, {@code playbook.notify}). Retries with
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
        // a pending request is wanted only while it is pending; an outcome is always worth telling
        boolean isNew = r.state() == ApprovalState.PENDING;
        deliver(msgId, type, r.asMap(),
                () -> !isNew || lookup.apply(r.id()).map(now -> now.state() == ApprovalState.PENDING).orElse(false),
                r.id());
    }

    /**
     * Posts a notify decision as an event of type {@code decision.notify}: the same description as a request (signature,
     * target, confidence and its reasons, evidence), nothing to answer.
     */
    public void notify(Decision d) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("decision", d.id());
        data.put("kind", d.kind().wireName());
        data.put("signature", d.signature());
        data.put("target", d.target().labels());
        data.put("playbook", d.playbook());
        data.put("confidence", d.confidence());
        data.put("reasons", d.reasons());
        data.put("evidence", d.evidence());
        deliver("msg_" + d.id() + "_decision.notify", "decision.notify", data, () -> true, d.id());
    }

    /** Posts a playbook's notify message as an event of type {@code playbook.notify} with its text. */
    public void message(String key, String text) {
        deliver("msg_" + key + "_playbook.notify", "playbook.notify", Map.of("text", text), () -> true, key);
    }

    /** Signs and posts {@code {"type", "timestamp", "data"}}, retried with backoff; the end is audited. */
    private void deliver(String msgId, String type, Object data, java.util.function.BooleanSupplier wanted, String auditId) {
        byte[] body;
        try {
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put("type", type);
            envelope.put("timestamp", clock.instant().toString());
            envelope.put("data", data);
            body = JSON.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a webhook event must render as JSON: " + e.getOriginalMessage(), e);
        }
        retrying.deliver("webhook " + msgId, () -> send(msgId, body), wanted,
                done -> done.audit(audit, "webhook", msgId, auditId));
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
