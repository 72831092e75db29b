package dev.vigil.playbook;

import dev.vigil.fact.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Binds a playbook's parameters to untrusted values from a diagnosis target and its evidence, and validates each
 * one against its spec. Telemetry reaches a step only through here. Stateless and thread-safe.
 */
public final class ParameterBinder {
    private ParameterBinder() {
    }

    /**
     * Every parameter's value from its first source that has one ({@code target.<label>}, {@code evidence.<name>}),
     * else its default. Refused, with every reason, when a value is invalid, a required parameter has none, or a
     * step that would run (or a precondition or the verification) names a parameter that has none.
     */
    public static BindResult bind(Playbook playbook, Target target, Map<String, String> evidenceBindings) {
        Objects.requireNonNull(playbook, "playbook");
        Objects.requireNonNull(target, "target");
        Map<String, String> evidence = evidenceBindings == null ? Map.of() : evidenceBindings;
        List<String> reasons = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> reported = new HashSet<>();
        for (ParameterSpec spec : playbook.parameters().values()) {
            String raw = null;
            for (String source : spec.from()) {
                String v = lookup(source, target, evidence);
                if (v != null && !v.isEmpty()) {
                    raw = v;
                    break;
                }
            }
            if (raw == null) {
                raw = spec.defaultValue().orElse(null);
            }
            if (raw == null) {
                if (spec.required()) {
                    reasons.add("parameter " + spec.name() + ": " + missing(spec) + ", and no default");
                    reported.add(spec.name());
                }
                continue;
            }
            Optional<String> problem = spec.problemWith(raw);
            if (problem.isPresent()) {
                reasons.add("parameter " + spec.name() + ": value " + Quote.quote(raw) + " " + problem.get());
                reported.add(spec.name());
            } else {
                values.put(spec.name(), raw);
            }
        }
        List<Step> all = new ArrayList<>(playbook.steps());
        all.addAll(playbook.rollback());
        for (Step step : all) {
            if (!step.when().holds(values)) {
                continue;
            }
            for (String name : Templates.needed(step)) {
                if (!values.containsKey(name) && reported.add(name)) {
                    ParameterSpec spec = playbook.parameters().get(name);
                    String what = spec == null ? "is not declared" : missing(spec);
                    reasons.add("parameter " + name + ": " + what + ", and step " + step.name() + " needs it");
                }
            }
        }
        List<Condition> conditions = new ArrayList<>(playbook.preconditions());
        if (playbook.verification() != null) {
            conditions.addAll(playbook.verification().all());
        }
        for (Condition condition : conditions) {
            for (String name : Templates.needed(condition)) {
                if (!values.containsKey(name) && reported.add(name)) {
                    ParameterSpec spec = playbook.parameters().get(name);
                    String what = spec == null ? "is not declared" : missing(spec);
                    reasons.add("parameter " + name + ": " + what + ", and "
                            + (playbook.preconditions().contains(condition) ? "a precondition" : "the verification")
                            + " needs it");
                }
            }
        }
        return reasons.isEmpty() ? new BindResult.Bound(values) : new BindResult.Refused(reasons);
    }

    private static String lookup(String source, Target target, Map<String, String> evidence) {
        int dot = source.indexOf('.');
        String kind = source.substring(0, dot);
        String key = source.substring(dot + 1);
        return kind.equals("target") ? target.get(key) : evidence.get(key);
    }

    private static String missing(ParameterSpec spec) {
        return spec.from().isEmpty() ? "no value" : "no value from " + String.join(" or ", spec.from());
    }
}
