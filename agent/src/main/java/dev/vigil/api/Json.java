package dev.vigil.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes JSON answers; stateless and thread-safe. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static void send(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended()) {
            return;
        }
        try {
            String text = MAPPER.writeValueAsString(body);
            if (ctx.response().headWritten()) {
                ctx.response().end(text); // kept alive with whitespace (see KeepAlive): the status is already sent
            } else {
                ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(text);
            }
        } catch (JsonProcessingException e) {
            ctx.response().setStatusCode(500).end("cannot render: " + e.getOriginalMessage());
        }
    }

    static void error(RoutingContext ctx, int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        send(ctx, status, body);
    }

    /** A 400 naming the query parameter that is wrong. */
    static void badParameter(RoutingContext ctx, Params.Bad bad) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", bad.getMessage());
        body.put("parameter", bad.parameter);
        send(ctx, 400, body);
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }
}
