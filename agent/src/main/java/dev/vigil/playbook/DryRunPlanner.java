package dev.vigil.playbook;

import dev.vigil.content.Durations;
import java.util.ArrayList;
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
            RenderedHttp request = RenderedHttp.render(http, valueOf);
            request.describe(detail);
            summary = request.summary();
        } else if (action instanceof StepAction.Sql sql) {
            RenderedSql statement = RenderedSql.render(sql, valueOf);
            statement.describe(detail, specs);
            summary = statement.summary(specs, SUMMARY_TEXT);
        } else if (action instanceof StepAction.Kubernetes k8s) {
            RenderedKubernetes call = RenderedKubernetes.render(k8s, valueOf);
            call.describe(detail);
            summary = call.summary();
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

    private static String shorten(String text) {
        return text.length() <= SUMMARY_TEXT ? text : text.substring(0, SUMMARY_TEXT) + "…";
    }
}
