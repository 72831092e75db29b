package dev.vigil.playbook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.vigil.content.Durations;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The exact HTTP request an {@code http} step sends with its bound values: rendered once here for both the dry-run
 * plan and {@link HttpExecutor}, so the audited plan is what runs. Immutable.
 *
 * @param url         with segment and query values percent-encoded
 * @param body        JSON text whose string values hold the values; empty for no body
 * @param revertAfter when the step is a temporary change: how long until the revert is due
 * @param revertBody  the body of the revert request
 */
record RenderedHttp(String method, String url, Map<String, String> headers, Optional<String> body,
                    List<Integer> expectStatus, boolean insecureSkipVerify, Optional<Duration> revertAfter,
                    Optional<String> revertBody) {
    private static final ObjectMapper JSON = new ObjectMapper();

    RenderedHttp {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(body, "body");
        expectStatus = List.copyOf(expectStatus);
        Objects.requireNonNull(revertAfter, "revertAfter");
        Objects.requireNonNull(revertBody, "revertBody");
    }

    /** Renders the request; throws {@link IllegalArgumentException} when a value would make an invalid URL. */
    static RenderedHttp render(StepAction.Http http, UnaryOperator<String> valueOf) {
        String url = UrlTemplate.parse(http.url()).render(valueOf);
        return new RenderedHttp(http.method(), url, http.headers(), http.body().map(b -> renderJson(b, valueOf)),
                http.expectStatus(), http.insecureSkipVerify(), http.revert().map(StepAction.Revert::after),
                http.revert().flatMap(StepAction.Revert::body).map(b -> renderJson(b, valueOf)));
    }

    /** This request with header {@code name} set to {@code value}, replacing one of that name in any letter case. */
    RenderedHttp withHeader(String name, String value) {
        Map<String, String> next = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase(name)) {
                next.put(k, v);
            }
        });
        next.put(name, value);
        return new RenderedHttp(method, url, next, body, expectStatus, insecureSkipVerify, revertAfter, revertBody);
    }

    /** Adds the plan's detail fields, in their stable order. */
    void describe(Map<String, Object> detail) {
        detail.put("method", method);
        detail.put("url", url);
        if (!headers.isEmpty()) {
            detail.put("headers", headers);
        }
        body.ifPresent(b -> detail.put("body", b));
        detail.put("expect_status", expectStatus);
        detail.put("insecure_skip_verify", insecureSkipVerify);
        revertAfter.ifPresent(after -> detail.put("revert_after", Durations.format(after)));
        revertBody.ifPresent(b -> detail.put("revert_body", b));
    }

    String summary() {
        return "http " + method + " " + url + revertAfter.map(a -> ", reverted after " + Durations.format(a)).orElse("");
    }

    /** Renders the templates in the string values of a JSON object; a value can never become structure. */
    private static String renderJson(String json, UnaryOperator<String> valueOf) {
        try {
            return JSON.writeValueAsString(renderNode(JSON.readTree(json), valueOf));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a body stored at load is always valid JSON", e);
        }
    }

    private static JsonNode renderNode(JsonNode node, UnaryOperator<String> valueOf) {
        if (node.isTextual()) {
            return TextNode.valueOf(Templates.render(node.asText(), valueOf));
        }
        if (node.isObject()) {
            ObjectNode out = JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), renderNode(e.getValue(), valueOf));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(n -> out.add(renderNode(n, valueOf)));
            return out;
        }
        return node;
    }
}
