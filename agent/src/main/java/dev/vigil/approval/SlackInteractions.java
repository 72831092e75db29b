package dev.vigil.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Map;

/**
 * Takes Slack's interactivity requests (a button click on an approval message): checks the signature over the raw
 * body, then that the clicking user is on the allow-list, then records the answer under the approver name the
 * allow-list gives that user (the same name the person has on the API, so one person is one approver). Every refusal
 * is audited. Thread-safe.
 */
public final class SlackInteractions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_FIELD = 256;

    private final SlackSignature signature;
    private final Map<String, String> approverByUser;
    private final Approvals approvals;
    private final InstantSource clock;

    /**
     * @param approverByUser the Slack user ids ({@code U0123ABCD}) who may answer, each with the approver name it
     *                       answers as ({@link #principal} when it has none); empty lets nobody answer
     */
    public SlackInteractions(SlackSignature signature, Map<String, String> approverByUser, Approvals approvals,
                             InstantSource clock) {
        this.signature = signature;
        this.approverByUser = Map.copyOf(approverByUser);
        this.approvals = approvals;
        this.clock = clock;
    }

    /** The name a Slack user answers as when the allow-list gives it none. */
    public static String principal(String userId) {
        return "slack:" + userId;
    }

    /**
     * @param timestamp  the {@code X-Slack-Request-Timestamp} header, or null
     * @param signed     the {@code X-Slack-Signature} header, or null
     * @param rawBody    the request body exactly as received
     */
    public Answer handle(String timestamp, String signed, byte[] rawBody) {
        Optional<Answer> bad = signature.refusal(timestamp, signed, rawBody, clock.instant());
        if (bad.isPresent()) {
            return approvals.refuse(bad.get().code(), Channel.SLACK, null, bad.get().message());
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(formField(new String(rawBody, StandardCharsets.UTF_8), "payload"));
        } catch (IOException | IllegalArgumentException e) {
            return approvals.refuse(Answer.Code.MALFORMED, Channel.SLACK, null, "no JSON payload field in the form body");
        }
        String user = payload.path("user").path("id").asText("");
        JsonNode action = payload.path("actions").path(0);
        String actionId = action.path("action_id").asText("");
        String id = action.path("value").asText("");
        if (!"block_actions".equals(payload.path("type").asText()) || user.isEmpty() || id.isEmpty()
                || user.length() > MAX_FIELD || id.length() > MAX_FIELD) {
            return approvals.refuse(Answer.Code.MALFORMED, Channel.SLACK, user.isEmpty() ? null : principal(clip(user)),
                    "not a block_actions payload with a user and an approval id");
        }
        String approver = approverByUser.get(user);
        if (approver == null) {
            return approvals.refuse(Answer.Code.NOT_ALLOWED, Channel.SLACK, principal(user),
                    "Slack user " + user + " is not on the approvers' allow-list (answer to " + id + ")");
        }
        return switch (actionId) {
            case SlackMessages.APPROVE -> approvals.approve(id, approver, Channel.SLACK);
            case SlackMessages.DENY -> approvals.deny(id, approver, Channel.SLACK, "denied in Slack by " + user);
            default -> approvals.refuse(Answer.Code.MALFORMED, Channel.SLACK, approver, "unknown action " + clip(actionId));
        };
    }

    /** One field of an {@code application/x-www-form-urlencoded} body. */
    static String formField(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        throw new IllegalArgumentException("no form field " + name);
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
