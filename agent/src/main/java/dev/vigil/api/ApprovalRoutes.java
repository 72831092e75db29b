package dev.vigil.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.approval.Answer;
import dev.vigil.approval.ApprovalRequest;
import dev.vigil.approval.ApprovalState;
import dev.vigil.approval.Approvals;
import dev.vigil.approval.Channel;
import dev.vigil.approval.SlackInteractions;
import dev.vigil.approval.WebhookAnswers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approval routes: listing and answering requests with a bearer token, Slack's interactivity callback and the
 * signed-webhook callback (both authenticated by their signatures, not tokens). Store work runs on worker threads,
 * never on the event loop. Thread-safe once built.
 *
 * <pre>
 * GET  /api/v1/approvals[?state=pending|approved|denied|expired|cancelled|all]   viewer
 * GET  /api/v1/approvals/{id}                                                    viewer
 * POST /api/v1/approvals/{id}/approve                                            approver
 * POST /api/v1/approvals/{id}/deny      {"reason": "…"}                          approver
 * POST /slack/interactivity             Slack-signed form body
 * POST /webhooks/approvals              Standard-Webhooks-signed JSON answer
 * </pre>
 */
public final class ApprovalRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalRoutes.class);
    /** Slack wants an answer within 3 s; past this, say "accepted" and let the work finish. */
    private static final Duration SLACK_DEADLINE = Duration.ofMillis(2500);
    private static final int MAX_BODY = 64 * 1024;
    private static final int MAX_REASON = 1024;

    private final Vertx vertx;
    private final Approvals approvals;
    private final Tokens tokens;
    private final Optional<SlackInteractions> slack;
    private final Optional<WebhookAnswers> webhooks;

    public ApprovalRoutes(Vertx vertx, Approvals approvals, Tokens tokens, Optional<SlackInteractions> slack,
                          Optional<WebhookAnswers> webhooks) {
        this.vertx = vertx;
        this.approvals = approvals;
        this.tokens = tokens;
        this.slack = slack;
        this.webhooks = webhooks;
    }

    /** Whether this router serves {@code path} (the daemon sends everything else elsewhere). */
    public static boolean serves(String path) {
        return path.equals("/api/v1/approvals") || path.startsWith("/api/v1/approvals/")
                || path.startsWith("/slack/") || path.startsWith("/webhooks/");
    }

    public Router router() {
        Router r = Router.router(vertx);
        r.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        r.get("/api/v1/approvals").handler(tokens.require(Role.VIEWER)).handler(this::list);
        r.get("/api/v1/approvals/:id").handler(tokens.require(Role.VIEWER)).handler(this::show);
        r.post("/api/v1/approvals/:id/approve").handler(tokens.require(Role.APPROVER)).handler(this::approve);
        r.post("/api/v1/approvals/:id/deny").handler(tokens.require(Role.APPROVER)).handler(this::deny);
        r.post("/slack/interactivity").handler(this::slack);
        r.post("/webhooks/approvals").handler(this::webhook);
        r.route().last().handler(ctx -> Json.error(ctx, 404, "no such path: " + ctx.request().method() + " " + ctx.request().path()));
        return r;
    }

    private void list(RoutingContext ctx) {
        String state = Optional.ofNullable(ctx.request().getParam("state")).orElse("pending");
        ApprovalState wanted = ApprovalState.parse(state);
        if (wanted == null && !state.equals("all")) {
            Json.error(ctx, 400, "state must be pending, approved, denied, expired, cancelled or all, was " + state);
            return;
        }
        Predicate<ApprovalRequest> which = wanted == null ? a -> true : a -> a.state() == wanted;
        Json.send(ctx, 200, Map.of("approvals", approvals.list(which).stream().map(ApprovalRequest::asMap).toList()));
    }

    private void show(RoutingContext ctx) {
        Optional<ApprovalRequest> r = approvals.get(ctx.pathParam("id"));
        if (r.isEmpty()) {
            Json.error(ctx, 404, "no approval request " + ctx.pathParam("id"));
        } else {
            Json.send(ctx, 200, r.get().asMap());
        }
    }

    private void approve(RoutingContext ctx) {
        Tokens.Caller caller = ctx.get(Tokens.CALLER);
        String id = ctx.pathParam("id");
        answer(ctx, () -> approvals.approve(id, caller.name(), Channel.API), null);
    }

    private void deny(RoutingContext ctx) {
        Tokens.Caller caller = ctx.get(Tokens.CALLER);
        String id = ctx.pathParam("id");
        String reason;
        try {
            JsonNode body = Json.mapper().readTree(ctx.body().asString("UTF-8") == null ? "" : ctx.body().asString("UTF-8"));
            reason = body == null ? "" : body.path("reason").asText("").strip();
        } catch (IOException e) {
            Json.error(ctx, 400, "body must be JSON: {\"reason\": \"…\"}");
            return;
        }
        if (reason.isEmpty() || reason.length() > MAX_REASON) {
            Json.error(ctx, 400, "a deny needs a reason of 1 to " + MAX_REASON + " characters");
            return;
        }
        answer(ctx, () -> approvals.deny(id, caller.name(), Channel.API, reason), null);
    }

    private void slack(RoutingContext ctx) {
        if (slack.isEmpty()) {
            Json.error(ctx, 404, "Slack approvals are not configured");
            return;
        }
        byte[] raw = raw(ctx);
        String ts = ctx.request().getHeader("X-Slack-Request-Timestamp");
        String sig = ctx.request().getHeader("X-Slack-Signature");
        answer(ctx, () -> slack.get().handle(ts, sig, raw), SLACK_DEADLINE);
    }

    private void webhook(RoutingContext ctx) {
        if (webhooks.isEmpty()) {
            Json.error(ctx, 404, "webhook approvals are not configured");
            return;
        }
        byte[] raw = raw(ctx);
        var h = ctx.request().headers();
        answer(ctx, () -> webhooks.get().handle(h.get("webhook-id"), h.get("webhook-timestamp"), h.get("webhook-signature"), raw), null);
    }

    private static byte[] raw(RoutingContext ctx) {
        return ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    }

    /** Runs the store work on a worker and answers with its outcome; past {@code deadline}, answers 200 at once. */
    private void answer(RoutingContext ctx, Callable<Answer> work, Duration deadline) {
        long timer = deadline == null ? -1 : vertx.setTimer(deadline.toMillis(),
                t -> Json.send(ctx, 200, Map.of("code", "accepted", "message", "received; still working on it")));
        Future<Answer> f = vertx.executeBlocking(work, false);
        f.onComplete(res -> {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            if (res.failed()) {
                // an audit write that failed: nothing was recorded, so nothing changed
                LOG.error("approval answer failed on {}", ctx.request().path(), res.cause());
                Json.error(ctx, 500, "not recorded: " + res.cause().getMessage());
                return;
            }
            Answer a = res.result();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("code", a.code().name().toLowerCase(java.util.Locale.ROOT));
            body.put("message", a.message());
            if (a.request() != null) {
                body.put("approval", a.request().asMap());
            }
            Json.send(ctx, a.code().httpStatus(), body);
        });
    }
}
