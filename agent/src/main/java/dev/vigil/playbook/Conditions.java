package dev.vigil.playbook;

import dev.vigil.fact.Evidence;
import dev.vigil.fact.SeriesState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluates preconditions and verifications against live facts. Label matchers compare with a series' labels, where
 * {@code service} and {@code host} also match the service and host the series was attributed to. Every reduction
 * sums over the matching series; no matching (fresh) series gives no value, and a comparison with no value fails.
 * Stateless; call it on the thread that owns the facts.
 */
public final class Conditions {
    private Conditions() {
    }

    /** Each condition's check, in order; see {@link FactView#check}. */
    public static List<ConditionCheck> check(List<Condition> conditions, Map<String, String> values, LiveFacts facts,
                                             long notBeforeMillis) {
        List<ConditionCheck> out = new ArrayList<>();
        for (Condition c : conditions) {
            out.add(check(c, values, facts, notBeforeMillis));
        }
        return out;
    }

    static ConditionCheck check(Condition condition, Map<String, String> values, LiveFacts facts, long notBeforeMillis) {
        if (condition instanceof Condition.OnMetric m) {
            Reduced top = reduce(m.series(), values, facts, notBeforeMillis);
            String text = describe(m.series(), values);
            double value = top.value;
            String observed = top.describe();
            if (m.divideBy().isPresent()) {
                Reduced bottom = reduce(m.divideBy().get(), values, facts, notBeforeMillis);
                text += " / " + describe(m.divideBy().get(), values);
                value = bottom.value == 0 || Double.isNaN(bottom.value) ? Double.NaN : top.value / bottom.value;
                observed = top.describe() + " / " + bottom.describe();
            }
            text += " " + m.op().symbol() + " " + m.value().toPlainString();
            return new ConditionCheck(text, m.op().test(value, m.value().doubleValue()), observed);
        }
        Condition.EvidenceAbsent a = (Condition.EvidenceAbsent) condition;
        Map<String, String> match = rendered(a.match(), values);
        String text = "no evidence " + (a.signature().isEmpty() ? "" : a.signature() + "/") + a.evidence() + match
                + " for " + a.absentFor().toSeconds() + "s";
        long present = facts.evidence().stream().filter(e -> matches(e, a, match)).count();
        return new ConditionCheck(text, present == 0, present == 0 ? "none now" : present + " holding now");
    }

    private static boolean matches(Evidence e, Condition.EvidenceAbsent a, Map<String, String> match) {
        if (!e.key().equals(a.evidence()) || (!a.signature().isEmpty() && !e.signature().equals(a.signature()))) {
            return false;
        }
        return match.entrySet().stream().allMatch(m -> m.getValue().equals(e.target().get(m.getKey())));
    }

    /** The sum over the matching fresh series, and how many there were. */
    private record Reduced(double value, int series) {
        String describe() {
            return series == 0 ? "no fresh series" : String.format(Locale.ROOT, "%s over %d series", number(value), series);
        }
    }

    private static Reduced reduce(Condition.Series s, Map<String, String> values, LiveFacts facts, long notBeforeMillis) {
        Map<String, String> match = rendered(s.match(), values);
        long over = s.over().map(d -> d.toSeconds()).orElse(0L);
        double sum = 0;
        int n = 0;
        for (SeriesState st : facts.series(s.metric())) {
            if (st.samples() == 0 || st.time() < notBeforeMillis || !matches(st, match)) {
                continue;
            }
            n++;
            sum += switch (s.of()) {
                case VALUE -> st.value();
                case COUNT -> 1;
                case RATE -> st.rate(over);
                case INCREASE -> st.increase(over);
                case DELTA -> st.delta(over);
                case TIME_UNTIL -> st.value() - st.time() / 1000.0;
            };
        }
        if (n == 0) {
            return new Reduced(s.of() == Condition.Aggregation.COUNT ? 0 : Double.NaN, 0);
        }
        return new Reduced(sum, n);
    }

    private static boolean matches(SeriesState s, Map<String, String> match) {
        for (Map.Entry<String, String> m : match.entrySet()) {
            String want = m.getValue();
            boolean ok = want.equals(s.label(m.getKey()))
                    || (m.getKey().equals("service") && want.equals(s.service()))
                    || (m.getKey().equals("host") && want.equals(s.host()));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> rendered(Map<String, String> match, Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        match.forEach((k, v) -> out.put(k, Templates.render(v, name -> values.getOrDefault(name, ""))));
        return out;
    }

    private static String describe(Condition.Series s, Map<String, String> values) {
        String base = s.metric() + rendered(s.match(), values);
        if (s.of() == Condition.Aggregation.VALUE) {
            return base;
        }
        return s.of().wireName() + "(" + base + s.over().map(d -> "[" + d.toSeconds() + "s]").orElse("") + ")";
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }
}
