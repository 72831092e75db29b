package dev.vigil.approval;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A chat or incident tool's webhook endpoint on loopback that records what it receives. Thread-safe. */
public final class WebhookReceiver implements AutoCloseable {
    /** One delivery: the three Standard Webhooks headers and the raw body. */
    public record Received(String id, String timestamp, String signature, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    public WebhookReceiver(Vertx vertx) throws Exception {
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            received.add(new Received(req.getHeader("webhook-id"), req.getHeader("webhook-timestamp"),
                    req.getHeader("webhook-signature"), body.getBytes()));
            req.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public java.net.URI url() {
        return java.net.URI.create("http://127.0.0.1:" + server.actualPort() + "/hooks/vigil");
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
