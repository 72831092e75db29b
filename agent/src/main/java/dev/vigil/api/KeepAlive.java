package dev.vigil.api;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * Keeps a slow answer's connection from being cut by the listener's idle timeout (the ingest request timeout, which
 * stops clients that stall): once the work has taken {@value #AFTER_MILLIS} ms, the status 200 and the JSON content
 * type are sent, then a space every {@value #AFTER_MILLIS} ms until the body follows. Leading whitespace is valid JSON.
 * Only for routes whose answer is 200 unless the server fails: a failure after that point is a JSON {@code error}
 * body under status 200. Not thread-safe; event loop only.
 */
final class KeepAlive {
    static final long AFTER_MILLIS = 500; // below the shortest idle timeout the daemon sets (1 s)

    private final Vertx vertx;
    private final long timer;

    private KeepAlive(Vertx vertx, RoutingContext ctx) {
        this.vertx = vertx;
        this.timer = vertx.setPeriodic(AFTER_MILLIS, id -> {
            if (ctx.response().ended() || ctx.response().closed()) {
                vertx.cancelTimer(id);
                return;
            }
            if (!ctx.response().headWritten()) {
                ctx.response().setStatusCode(200).putHeader("content-type", "application/json").setChunked(true);
            }
            ctx.response().write(" ");
        });
    }

    /** Starts keeping {@code ctx} alive; call {@link #stop} before answering. */
    static KeepAlive start(Vertx vertx, RoutingContext ctx) {
        return new KeepAlive(vertx, ctx);
    }

    void stop() {
        vertx.cancelTimer(timer);
    }
}
