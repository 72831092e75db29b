package dev.vigil.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The governors' hand on a running agent: the execution state, the kill switch, a playbook's open circuit, and a
 * content reload. Every change needs a governor's token and is journalled by what it calls, with the caller's name.
 * Work runs on worker threads, never on the event loop. Thread-safe once built.
 *
 * <pre>
 * GET  /api/v1/execution                                         viewer    mode, kill switch, open circuits, runs
 * POST /api/v1/kill-switch   {"engaged": true|false, "reason"}   governor  stops (or allows again) every run
 * POST /api/v1/circuits/{playbook}/close                         governor  lets a playbook run again
 * POST /api/v1/reload                                            governor  200 applied or unchanged, 422 with errors
 * POST /api/v1/signatures/{id}/promote                           governor  shadow version goes live; 422 with errors
 * </pre>
 */
public final class GovernorRoutes {
    private static final int MAX_BODY = 16 * 1024;
    private static final int MAX_REASON = 1024;

    /** What the routes act on, bound by the daemon; methods may block (a reload compiles). */
    public interface Controls {
        /** The execution state as JSON-ready values. */
        Map<String, Object> execution();

        /** @throws IllegalStateException when nothing executes here (dry-run), with the reason */
        void engageKillSwitch(String governor, String reason);

        /** @throws IllegalStateException when nothing executes here (dry-run) */
        void releaseKillSwitch(String governor);

        /** Whether the playbook's circuit was open (and is now closed). @throws IllegalStateException in dry-run */
        boolean closeCircuit(String playbook, String governor);

        /** Reloads the content from where it was loaded. */
        Reload reload(String governor);

        /**
         * Moves signature {@code id} out of shadow and reloads; a rejected reload puts the files back.
         *
         * @throws IllegalArgumentException when {@code id} is not in shadow
         * @throws IllegalStateException    when the content is the built-in copy, which cannot change
         */
        Reload promote(String id, String governor) throws java.io.IOException;
    }

    /** A reload's outcome for the API. Immutable. */
    public record Reload(boolean rejected, String detail, List<String> errors) {
        public Reload {
            errors = List.copyOf(errors);
        }
    }

    private final Vertx vertx;
    private final Tokens tokens;
    private final Controls controls;

    public GovernorRoutes(Vertx vertx, Tokens tokens, Controls controls) {
        this.vertx = vertx;
        this.tokens = tokens;
        this.controls = controls;
    }

    /** Whether this router serves {@code path}. */
    public static boolean serves(String path) {
        return path.equals("/api/v1/execution") || path.equals("/api/v1/kill-switch") || path.equals("/api/v1/reload")
                || path.startsWith("/api/v1/circuits/") || path.startsWith("/api/v1/signatures/");
    }

    public Router router() {
        Router r = Router.router(vertx);
        r.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        r.get("/api/v1/execution").handler(tokens.require(Role.VIEWER)).handler(ctx -> work(ctx, () -> {
            Json.send(ctx, 200, controls.execution());
            return null;
        }));
        r.post("/api/v1/kill-switch").handler(tokens.require(Role.GOVERNOR)).handler(this::killSwitch);
        r.post("/api/v1/circuits/:playbook/close").handler(tokens.require(Role.GOVERNOR)).handler(this::closeCircuit);
        r.post("/api/v1/reload").handler(tokens.require(Role.GOVERNOR)).handler(this::reload);
        r.post("/api/v1/signatures/:id/promote").handler(tokens.require(Role.GOVERNOR)).handler(this::promote);
        r.route().last().handler(ctx -> Json.error(ctx, 404, "no such path: " + ctx.request().method() + " " + ctx.request().path()));
        return r;
    }

    private void killSwitch(RoutingContext ctx) {
        Tokens.Caller caller = ctx.get(Tokens.CALLER);
        JsonNode body;
        try {
            String text = ctx.body().asString("UTF-8");
            body = Json.mapper().readTree(text == null ? "" : text);
        } catch (IOException e) {
            Json.error(ctx, 400, "body must be JSON: {\"engaged\": true|false, \"reason\": \"…\"}");
            return;
        }
        if (body == null || !body.path("engaged").isBoolean()) {
            Json.error(ctx, 400, "body must say {\"engaged\": true|false}");
            return;
        }
        boolean engage = body.get("engaged").asBoolean();
        String reason = body.path("reason").asText("").strip();
        if (engage && (reason.isEmpty() || reason.length() > MAX_REASON)) {
            Json.error(ctx, 400, "engaging the kill switch needs a reason of 1 to " + MAX_REASON + " characters");
            return;
        }
        work(ctx, () -> {
            if (engage) {
                controls.engageKillSwitch(caller.name(), reason);
            } else {
                controls.releaseKillSwitch(caller.name());
            }
            Json.send(ctx, 200, controls.execution());
            return null;
        });
    }

    private void closeCircuit(RoutingContext ctx) {
        Tokens.Caller caller = ctx.get(Tokens.CALLER);
        String playbook = ctx.pathParam("playbook");
        work(ctx, () -> {
            if (controls.closeCircuit(playbook, caller.name())) {
                Json.send(ctx, 200, controls.execution());
            } else {
                Json.error(ctx, 404, "the circuit of " + playbook + " is not open");
            }
            return null;
        });
    }

    private void reload(RoutingContext ctx) {
        Tokens.Caller caller = ctx.get(Tokens.CALLER);
        work(ctx, () -> {
            Reload r = controls.reload("api:" + caller.name());
            Json.send(ctx, r.rejected() ? 422 : 200, Map.of("detail", r.detail(), "errors", r.errors()));
            return null;
        });
    }

    private void promote(RoutingContext ctx) {
        Tokens.Caller caller = ctx.get(Tokens.CALLER);
        String id = ctx.pathParam("id");
        work(ctx, () -> {
            Reload r;
            try {
                r = controls.promote(id, "api:" + caller.name());
            } catch (IllegalArgumentException e) {
                Map<String, Object> body = new java.util.LinkedHashMap<>();
                body.put("error", e.getMessage());
                body.put("parameter", "id");
                Json.send(ctx, 404, body);
                return null;
            }
            Json.send(ctx, r.rejected() ? 422 : 200, Map.of("detail", r.detail(), "errors", r.errors()));
            return null;
        });
    }

    /** Runs {@code task} on a worker; a refusal by the controls (nothing executes here) is a 409. */
    private void work(RoutingContext ctx, Callable<Void> task) {
        vertx.executeBlocking(task, false).onFailure(e -> {
            if (ctx.response().ended()) {
                return;
            }
            if (e instanceof IllegalStateException) {
                Json.error(ctx, 409, e.getMessage());
            } else {
                Json.error(ctx, 500, "failed: " + e);
            }
        });
    }
}
