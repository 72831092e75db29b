package dev.vigil.approval;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A chat or incident tool's webhook endpoint on loopback that records what it receives; it can be told to fail the
 * next deliveries with 503. Thread-safe.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One delivery: the three Standard Webhooks headers and the raw body. */
    public record Received(String id, String timestamp, String signature, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public final List<Received> received = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger failNext = new java.util.concurrent.atomic.AtomicInteger();
    private final HttpServer server;

    public WebhookReceiver(Vertx vertx) throws Exception {
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                req.response().setStatusCode(503).end();
                return;
            }
            received.add(new Received(req.getHeader("webhook-id"), req.getHeader("webhook-timestamp"),
                    req.getHeader("webhook-signature"), body.getBytes()));
            req.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The next {@code n} deliveries are answered 503 (the tool is down) and not recorded. */
    public void failNext(int n) {
        failNext.set(n);
    }

    public java.net.URI url() {
        return java.net.URI.create("http://127.0.0.1:" + server.actualPort() + "/hooks/vigil");
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
