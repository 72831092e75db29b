package dev.vigil.playbook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code {{parameter}}} templates: finding the names and substituting validated values in one pass. Stateless. */
final class Templates {
    static final Pattern TEMPLATE = Pattern.compile("\\{\\{ *([a-z][a-z0-9_]*) *\\}\\}");
    private static final Pattern WHOLE = Pattern.compile("^\\{\\{ *([a-z][a-z0-9_]*) *\\}\\}$");

    private Templates() {
    }

    /** True when the text holds anything that looks like a template, well-formed or not. */
    static boolean looksTemplated(String text) {
        return text.contains("{{") || text.contains("}}");
    }

    /** True when braces remain after the well-formed templates are taken out. */
    static boolean malformed(String text) {
        String rest = TEMPLATE.matcher(text).replaceAll("");
        return rest.contains("{{") || rest.contains("}}");
    }

    /** The parameter names the text's templates use, in order, without repeats. */
    static List<String> names(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = TEMPLATE.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return new ArrayList<>(out);
    }

    /** The parameter name when the whole text is exactly one template. */
    static Optional<String> whole(String text) {
        Matcher m = WHOLE.matcher(text);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * Replaces every template by the rendered value of its parameter. One pass: a value that itself looks like a
     * template is never expanded again.
     */
    static String render(String text, UnaryOperator<String> valueOf) {
        Matcher m = TEMPLATE.matcher(text);
        StringBuilder sb = new StringBuilder(text.length() + 32);
        int last = 0;
        while (m.find()) {
            sb.append(text, last, m.start()).append(valueOf.apply(m.group(1)));
            last = m.end();
        }
        return sb.append(text, last, text.length()).toString();
    }

    /** Every parameter a condition's label matchers name. */
    static Set<String> needed(Condition condition) {
        Set<String> out = new LinkedHashSet<>();
        condition.match().values().forEach(v -> out.addAll(names(v)));
        if (condition instanceof Condition.OnMetric m) {
            m.divideBy().ifPresent(d -> d.match().values().forEach(v -> out.addAll(names(v))));
        }
        return out;
    }

    /** Every parameter a step needs when it runs: the names in its templates and, for SQL, its bind parameters. */
    static Set<String> needed(Step step) {
        Set<String> out = new LinkedHashSet<>();
        for (String text : step.action().templated()) {
            out.addAll(names(text));
        }
        if (step.action() instanceof StepAction.Sql sql) {
            out.addAll(sql.bind());
        }
        return out;
    }
}
