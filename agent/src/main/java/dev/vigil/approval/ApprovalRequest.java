package dev.vigil.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.decision.Decision;
import dev.vigil.fact.Target;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request for humans to approve one playbook run, as it stands now: what was diagnosed, what would run with which
 * parameters, how sure Vigil is and why, who may answer, until when, and the answers so far. Immutable: the
 * {@link Approvals} store replaces it on each transition.
 *
 * @param parameters        the playbook's parameters, already bound and validated
 * @param evidence          evidence key to a one-line summary (untrusted text from telemetry may appear)
 * @param requiredApprovals distinct approvers needed (2 for a high-risk playbook)
 * @param allowedApprovers  who may answer ({@code alice}, {@code slack:U0123}); empty means anyone a channel has
 *                          authenticated as an approver
 * @param approvals         the yes votes so far, in order
 * @param resolution        how it left pending; null while pending
 * @param execution         what became of the action once approved; null otherwise
 */
public record ApprovalRequest(String id, String decisionId, String signature, Target target, String playbook,
                              Map<String, String> parameters, double confidence, List<String> reasons,
                              Map<String, String> evidence, int requiredApprovals, Set<String> allowedApprovers,
                              Instant requestedAt, Instant expiresAt, ApprovalState state, List<Vote> approvals,
                              Resolution resolution, Execution execution) {
    public ApprovalRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(decisionId, "decisionId");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(playbook, "playbook");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(state, "state");
        if (requiredApprovals < 1) {
            throw new IllegalArgumentException("requiredApprovals must be >= 1, was " + requiredApprovals);
        }
        if (!expiresAt.isAfter(requestedAt)) {
            throw new IllegalArgumentException("expiresAt " + expiresAt + " must be after requestedAt " + requestedAt);
        }
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        reasons = List.copyOf(reasons);
        evidence = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
        allowedApprovers = java.util.Collections.unmodifiableSet(new TreeSet<>(allowedApprovers));
        approvals = List.copyOf(approvals);
    }

    /** A new pending request for an {@code approve} decision. */
    public static ApprovalRequest pending(Decision d, Map<String, String> parameters, Set<String> allowedApprovers,
                                          Instant now, Instant expiresAt) {
        if (d.playbook() == null) {
            throw new IllegalArgumentException("decision " + d.id() + " names no playbook to approve");
        }
        return new ApprovalRequest("apr-" + d.id(), d.id(), d.signature(), d.target(), d.playbook(), parameters,
                d.confidence(), d.reasons(), d.evidence(), Math.max(1, d.approvalsRequired()), allowedApprovers, now,
                expiresAt, ApprovalState.PENDING, List.of(), null, null);
    }

    /** Whether {@code who} already said yes. */
    public boolean approvedBy(String who) {
        return approvals.stream().anyMatch(v -> v.who().equals(who));
    }

    /** Whether {@code who} may answer this request. */
    public boolean allows(String who) {
        return allowedApprovers.isEmpty() || allowedApprovers.contains(who);
    }

    ApprovalRequest withVote(Vote v) {
        List<Vote> votes = new ArrayList<>(approvals);
        votes.add(v);
        return new ApprovalRequest(id, decisionId, signature, target, playbook, parameters, confidence, reasons, evidence,
                requiredApprovals, allowedApprovers, requestedAt, expiresAt, state, votes, resolution, execution);
    }

    ApprovalRequest resolved(ApprovalState to, Resolution how) {
        return new ApprovalRequest(id, decisionId, signature, target, playbook, parameters, confidence, reasons, evidence,
                requiredApprovals, allowedApprovers, requestedAt, expiresAt, to, approvals, how, execution);
    }

    ApprovalRequest executed(Execution e) {
        return new ApprovalRequest(id, decisionId, signature, target, playbook, parameters, confidence, reasons, evidence,
                requiredApprovals, allowedApprovers, requestedAt, expiresAt, state, approvals, resolution, e);
    }

    /** The request as plain JSON-ready values, for the API, webhooks and the journal. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("decision", decisionId);
        m.put("state", state.wireName());
        m.put("signature", signature);
        m.put("target", target.labels());
        m.put("playbook", playbook);
        m.put("parameters", parameters);
        m.put("confidence", confidence);
        m.put("reasons", reasons);
        m.put("evidence", evidence);
        m.put("required_approvals", requiredApprovals);
        m.put("allowed_approvers", List.copyOf(allowedApprovers));
        m.put("requested_at", requestedAt.toString());
        m.put("expires_at", expiresAt.toString());
        m.put("approvals", approvals.stream().map(v -> Map.of("who", v.who(), "channel", v.channel().wireName(),
                "at", v.at().toString())).toList());
        if (resolution != null) {
            m.put("resolution", Map.of("who", resolution.who(), "channel", resolution.channel().wireName(),
                    "at", resolution.at().toString(), "reason", resolution.reason()));
        }
        if (execution != null) {
            m.put("execution", Map.of("status", execution.status().wireName(), "detail", execution.detail()));
        }
        return m;
    }

    /**
     * A request back from its {@link #asMap()} form (as a store wrote it).
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static ApprovalRequest fromJson(JsonNode n) {
        ApprovalState state = ApprovalState.parse(text(n, "state"));
        if (state == null) {
            throw new IllegalArgumentException("state: not one of pending, approved, denied, expired, cancelled: " + n.path("state"));
        }
        List<Vote> votes = new ArrayList<>();
        for (JsonNode v : n.path("approvals")) {
            votes.add(new Vote(text(v, "who"), channel(text(v, "channel")), instant(v, "at")));
        }
        JsonNode res = n.path("resolution");
        Resolution resolution = res.isMissingNode() ? null
                : new Resolution(text(res, "who"), channel(text(res, "channel")), instant(res, "at"), res.path("reason").asText(""));
        JsonNode ex = n.path("execution");
        Execution execution = null;
        if (!ex.isMissingNode()) {
            Execution.Status status = java.util.Arrays.stream(Execution.Status.values())
                    .filter(st -> st.wireName().equals(ex.path("status").asText())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("execution.status: unknown " + ex.path("status")));
            execution = new Execution(status, ex.path("detail").asText(""));
        }
        if (!n.path("confidence").isNumber() || !n.path("required_approvals").isInt()) {
            throw new IllegalArgumentException("confidence and required_approvals must be numbers");
        }
        Set<String> allowed = new TreeSet<>();
        n.path("allowed_approvers").forEach(a -> allowed.add(a.asText()));
        List<String> reasons = new ArrayList<>();
        n.path("reasons").forEach(r -> reasons.add(r.asText()));
        return new ApprovalRequest(text(n, "id"), text(n, "decision"), text(n, "signature"), new Target(strings(n, "target")),
                text(n, "playbook"), strings(n, "parameters"), n.path("confidence").asDouble(), reasons, strings(n, "evidence"),
                n.path("required_approvals").asInt(), allowed, instant(n, "requested_at"), instant(n, "expires_at"), state,
                votes, resolution, execution);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + ": missing or not text");
        }
        return v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        try {
            return Instant.parse(text(n, field));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(field + ": not an ISO-8601 instant: " + n.path(field).asText(), e);
        }
    }

    private static Channel channel(String wire) {
        for (Channel c : Channel.values()) {
            if (c.wireName().equals(wire)) {
                return c;
            }
        }
        throw new IllegalArgumentException("channel: unknown " + wire);
    }

    private static Map<String, String> strings(JsonNode n, String field) {
        JsonNode o = n.path(field);
        if (!o.isObject()) {
            throw new IllegalArgumentException(field + ": missing or not a mapping");
        }
        Map<String, String> out = new LinkedHashMap<>();
        o.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
