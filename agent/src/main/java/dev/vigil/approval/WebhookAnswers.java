package dev.vigil.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Takes answers posted back by a chat or incident tool, signed per Standard Webhooks with the shared secret:
 * {@code {"approval_id": "apr-…", "action": "approve" | "deny", "approver": "alice", "reason": "…"}}. Refuses a
 * message that is unsigned, forged, outside the time window or a replay, and audits every refusal. Thread-safe.
 */
public final class WebhookAnswers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_FIELD = 256;

    private final WebhookSignature signature;
    private final Approvals approvals;
    private final InstantSource clock;

    public WebhookAnswers(WebhookSignature signature, Approvals approvals, InstantSource clock) {
        this.signature = signature;
        this.approvals = approvals;
        this.clock = clock;
    }

    public Answer handle(String id, String timestamp, String signed, byte[] rawBody) {
        Optional<Answer> bad = signature.refusal(id, timestamp, signed, rawBody, clock.instant());
        if (bad.isPresent()) {
            return approvals.refuse(bad.get().code(), Channel.WEBHOOK, null, bad.get().message());
        }
        JsonNode body;
        try {
            body = JSON.readTree(rawBody);
        } catch (IOException e) {
            return approvals.refuse(Answer.Code.MALFORMED, Channel.WEBHOOK, null, "body is not JSON");
        }
        String request = body.path("approval_id").asText("");
        String action = body.path("action").asText("");
        String approver = body.path("approver").asText("");
        String reason = body.path("reason").asText("");
        if (request.isEmpty() || approver.isEmpty() || request.length() > MAX_FIELD || approver.length() > MAX_FIELD
                || reason.length() > 4 * MAX_FIELD) {
            return approvals.refuse(Answer.Code.MALFORMED, Channel.WEBHOOK, null,
                    "an answer needs approval_id and approver (at most " + MAX_FIELD + " characters each)");
        }
        return switch (action) {
            case "approve" -> approvals.approve(request, approver, Channel.WEBHOOK);
            case "deny" -> approvals.deny(request, approver, Channel.WEBHOOK, reason.isBlank() ? "denied via webhook" : reason);
            default -> approvals.refuse(Answer.Code.MALFORMED, Channel.WEBHOOK, approver, "action must be approve or deny");
        };
    }
}
