package dev.vigil.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the Slack Web API on loopback (Slack cannot be reached from here): answers {@code chat.postMessage}
 * and {@code chat.update} like Slack does and records every call. It can be told to fail the next calls with 503 or
 * to answer slowly. Thread-safe.
 */
public final class SlackStub implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One call as received: the method, the bearer token, the form fields. */
    public record Call(String method, String authorization, Map<String, String> form) {
        public JsonNode blocks() {
            try {
                return JSON.readTree(form.getOrDefault("blocks", "[]"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Every action id of every button in the message. */
        public List<String> actionIds() {
            return blocks().findValues("action_id").stream().map(JsonNode::asText).toList();
        }
    }

    public final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile long delayMillis;
    private final AtomicInteger ts = new AtomicInteger(100);
    private final HttpServer server;

    public SlackStub(Vertx vertx) throws Exception {
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            String method = req.path().substring(req.path().lastIndexOf('/') + 1);
            calls.add(new Call(method, req.getHeader("Authorization"), form(body.toString(StandardCharsets.UTF_8))));
            Runnable answer = () -> {
                if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    req.response().setStatusCode(503).end("{\"ok\":false,\"error\":\"service_unavailable\"}");
                    return;
                }
                String channel = form(body.toString(StandardCharsets.UTF_8)).getOrDefault("channel", "C0STUB");
                String stamp = method.equals("chat.update") ? form(body.toString(StandardCharsets.UTF_8)).get("ts")
                        : "1700000000.000" + ts.incrementAndGet();
                req.response().putHeader("content-type", "application/json; charset=utf-8")
                        .end("{\"ok\":true,\"channel\":\"" + (channel.startsWith("#") ? "C0STUB" : channel) + "\",\"ts\":\"" + stamp + "\"}");
            };
            if (delayMillis > 0) {
                vertx.setTimer(delayMillis, t -> answer.run());
            } else {
                answer.run();
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * A click on a message button as Slack sends it to the app's Interactivity Request URL: the form-encoded
     * {@code block_actions} payload, signed with {@code signingSecret} at {@code signedAt} (epoch seconds).
     */
    public static HttpRequest click(URI interactivityUrl, String signingSecret, String user, String actionId, String value,
                                    long signedAt) {
        String body = clickBody(user, actionId, value);
        String ts = Long.toString(signedAt);
        return HttpRequest.newBuilder(interactivityUrl).timeout(Duration.ofSeconds(15))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", new SlackSignature(signingSecret).sign(ts, body.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The form body of a button click: {@code payload=} the URL-encoded {@code block_actions} JSON. */
    public static String clickBody(String user, String actionId, String value) {
        try {
            String payload = JSON.writeValueAsString(Map.of("type", "block_actions", "user", Map.of("id", user, "username", "u"),
                    "actions", List.of(Map.of("action_id", actionId, "value", value, "type", "button")),
                    "container", Map.of("type", "message"), "channel", Map.of("id", "C0APPROVE")));
            return "payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Web API prefix to configure the SDK with. */
    public String apiUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/api/";
    }

    /** The next {@code n} calls are answered 503 (Slack down). */
    public void failNext(int n) {
        failNext.set(n);
    }

    /** Every call is answered after this long (Slack slow); 0 for at once. */
    public void delay(long millis) {
        delayMillis = millis;
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
