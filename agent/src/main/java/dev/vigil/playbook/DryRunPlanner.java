package dev.vigil.playbook;

import dev.vigil.content.Durations;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Renders what a playbook's steps would do with bound values, without doing any of it: argv for {@code exec} (no
 * shell, each value one whole argument), a percent-encoded URL and JSON body for {@code http}, the statement with
 * separate bind values for {@code sql}, the object and bounds for {@code kubernetes}, the text for {@code notify}.
 * Stateless and thread-safe.
 */
public final class DryRunPlanner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLAIN_ARG = Pattern.compile("^[A-Za-z0-9._/:=@%+,-]+$");
    private static final int SUMMARY_TEXT = 200;

    private DryRunPlanner() {
    }

    /**
     * The steps that would run, in order (a step whose {@code when} does not hold is left out). Every value is
     * checked against its spec again; an invalid, unknown or missing value is misuse and throws
     * {@link IllegalArgumentException}: pass the values of a {@link BindResult.Bound}.
     */
    public static List<PlannedStep> plan(Playbook playbook, Map<String, String> boundValues) {
        return plan(playbook, playbook.steps(), boundValues);
    }

    /** The rollback steps that would run, the same way as {@link #plan}. */
    public static List<PlannedStep> planRollback(Playbook playbook, Map<String, String> boundValues) {
        return plan(playbook, playbook.rollback(), boundValues);
    }

    private static List<PlannedStep> plan(Playbook playbook, List<Step> steps, Map<String, String> boundValues) {
        Objects.requireNonNull(playbook, "playbook");
        Map<String, String> values = checked(playbook, boundValues);
        List<PlannedStep> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (!step.when().holds(values)) {
                continue;
            }
            for (String name : Templates.needed(step)) {
                if (!values.containsKey(name)) {
                    throw new IllegalArgumentException("playbook " + playbook.id() + ": step " + step.name()
                            + " needs parameter " + name + ", which has no value");
                }
            }
            out.add(planStep(i, step, playbook.parameters(), values::get));
        }
        return List.copyOf(out);
    }

    private static Map<String, String> checked(Playbook playbook, Map<String, String> boundValues) {
        Objects.requireNonNull(boundValues, "boundValues");
        for (Map.Entry<String, String> e : boundValues.entrySet()) {
            ParameterSpec spec = playbook.parameters().get(e.getKey());
            if (spec == null) {
                throw new IllegalArgumentException("playbook " + playbook.id() + " has no parameter " + Quote.quote(e.getKey()));
            }
            Optional<String> problem = spec.problemWith(e.getValue());
            if (problem.isPresent()) {
                throw new IllegalArgumentException("parameter " + e.getKey() + ": value " + Quote.quote(e.getValue())
                        + " " + problem.get());
            }
        }
        return Map.copyOf(boundValues);
    }

    private static PlannedStep planStep(int index, Step step, Map<String, ParameterSpec> specs, UnaryOperator<String> valueOf) {
        Map<String, Object> detail = new LinkedHashMap<>();
        String summary;
        StepAction action = step.action();
        if (action instanceof StepAction.Exec exec) {
            List<String> argv = new ArrayList<>();
            argv.add(exec.path());
            for (String arg : exec.args()) {
                // an argument is a literal or exactly one template (checked at load): a value is never split
                argv.add(Templates.whole(arg).map(valueOf).orElse(arg));
            }
            Optional<String> host = exec.host().map(h -> Templates.render(h, valueOf));
            detail.put("script", exec.script());
            detail.put("argv", List.copyOf(argv));
            detail.put("shell", false);
            host.ifPresent(h -> detail.put("host", h));
            StringBuilder sb = new StringBuilder("exec");
            for (String a : argv) {
                sb.append(' ').append(PLAIN_ARG.matcher(a).matches() ? a : Quote.quote(a));
            }
            host.ifPresent(h -> sb.append(" on ").append(h));
            summary = sb.toString();
        } else if (action instanceof StepAction.Http http) {
            String url = UrlTemplate.parse(http.url()).render(valueOf);
            detail.put("method", http.method());
            detail.put("url", url);
            if (!http.headers().isEmpty()) {
                detail.put("headers", http.headers());
            }
            http.body().ifPresent(b -> detail.put("body", renderJson(b, valueOf)));
            detail.put("expect_status", http.expectStatus());
            detail.put("insecure_skip_verify", http.insecureSkipVerify());
            http.revert().ifPresent(r -> {
                detail.put("revert_after", Durations.format(r.after()));
                r.body().ifPresent(b -> detail.put("revert_body", renderJson(b, valueOf)));
            });
            summary = "http " + http.method() + " " + url
                    + http.revert().map(r -> ", reverted after " + Durations.format(r.after())).orElse("");
        } else if (action instanceof StepAction.Sql sql) {
            String connection = Templates.render(sql.connection(), valueOf);
            SqlStatement scan = SqlStatement.scan(sql.statement());
            Map<String, Object> bind = new LinkedHashMap<>();
            for (String name : sql.bind()) {
                bind.put(name, typed(specs.get(name), valueOf.apply(name)));
            }
            List<Object> jdbcParameters = new ArrayList<>();
            for (String name : scan.placeholders()) {
                jdbcParameters.add(bind.get(name));
            }
            detail.put("connection", connection);
            detail.put("statement", sql.statement());
            detail.put("bind", Collections.unmodifiableMap(bind));
            detail.put("jdbc_statement", scan.jdbc());
            detail.put("jdbc_parameters", Collections.unmodifiableList(jdbcParameters));
            StringBuilder sb = new StringBuilder("sql on ").append(connection).append(": ")
                    .append(shorten(sql.statement().replaceAll("\\s+", " ").strip()));
            if (!bind.isEmpty()) {
                sb.append(" with ");
                List<String> pairs = new ArrayList<>();
                bind.forEach((k, v) -> pairs.add(k + "=" + (v instanceof String s ? Quote.quote(s) : v)));
                sb.append(String.join(", ", pairs));
            }
            summary = sb.toString();
        } else if (action instanceof StepAction.Kubernetes k8s) {
            String kind = Templates.render(k8s.object().kind(), valueOf);
            String namespace = Templates.render(k8s.object().namespace(), valueOf);
            String name = Templates.render(k8s.object().name(), valueOf);
            detail.put("action", k8s.action().wireName());
            detail.put("kind", kind);
            if (!namespace.isEmpty()) {
                detail.put("namespace", namespace);
            }
            detail.put("name", name);
            StringBuilder sb = new StringBuilder("kubernetes ").append(k8s.action().wireName()).append(' ')
                    .append(kind).append(' ').append(namespace.isEmpty() ? name : namespace + "/" + name);
            k8s.container().ifPresent(c -> {
                String container = Templates.render(c, valueOf);
                detail.put("container", container);
                sb.append(" container ").append(container);
            });
            k8s.scale().ifPresent(s -> {
                long max = Long.parseLong(Templates.render(s.maxReplicas(), valueOf));
                detail.put("delta", s.delta());
                detail.put("max_replicas", max);
                sb.append(" by +").append(s.delta()).append(" up to ").append(max).append(" replicas");
            });
            k8s.patch().ifPresent(p -> {
                String max = Templates.render(p.max(), valueOf);
                detail.put("resource", p.resource());
                detail.put("factor", p.factor());
                detail.put("max", max);
                sb.append(' ').append(p.resource()).append(" limit x").append(p.factor().toPlainString())
                        .append(" up to ").append(max);
            });
            summary = sb.toString();
        } else {
            StepAction.Notify notify = (StepAction.Notify) action;
            String message = Templates.render(notify.message(), valueOf);
            detail.put("message", message);
            detail.put("channels", notify.channels());
            detail.put("include_evidence", notify.includeEvidence());
            summary = "notify " + String.join(", ", notify.channels()) + ": " + shorten(message);
        }
        detail.put("timeout", Durations.format(step.timeout()));
        detail.put("dry_run", true);
        return new PlannedStep(index, step.name(), step.executor().wireName(), summary + " (dry-run)", detail);
    }

    /** Renders the templates in the string values of a JSON object; a value can never become structure. */
    private static String renderJson(String json, UnaryOperator<String> valueOf) {
        try {
            JsonNode tree = JSON.readTree(json);
            return JSON.writeValueAsString(renderNode(tree, valueOf));
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

    private static Object typed(ParameterSpec spec, String value) {
        return switch (spec.type()) {
            case INTEGER -> Long.valueOf(value);
            case NUMBER -> new BigDecimal(value);
            default -> value;
        };
    }

    private static String shorten(String text) {
        return text.length() <= SUMMARY_TEXT ? text : text.substring(0, SUMMARY_TEXT) + "…";
    }
}
