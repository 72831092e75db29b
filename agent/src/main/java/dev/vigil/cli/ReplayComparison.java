package dev.vigil.cli;

import dev.vigil.daemon.Replayer;
import dev.vigil.decision.Decision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where two rule sets decide one scenario differently: decisions are matched per signature and target in time order
 * (the first of one side with the first of the other, and so on), and a pair differs when the decision or the
 * playbook differs, or when only one side decided. When a decision is taken (its {@code t}) and its confidence are
 * shown but are not differences by themselves: a governor asks "would it act differently", not "a second later".
 * Stateless.
 */
final class ReplayComparison {
    /** One place where the two sets differ; {@code base} or {@code other} is null when only one side decided. */
    record Difference(String signature, Map<String, String> target, Replayer.Line base, Replayer.Line other) {
        /** {@code db-connection-pool-exhaustion {service=checkout}: execute recycle-connection-pool (t=95, 0.94) -> nothing}. */
        String describe() {
            return signature + " " + target + ": " + side(base) + " -> " + side(other);
        }

        private static String side(Replayer.Line l) {
            if (l == null) {
                return "nothing";
            }
            Decision d = l.decision();
            return String.format(Locale.ROOT, "%s%s (t=%s, confidence %.2f)", d.kind().wireName(),
                    d.playbook() == null ? "" : " " + d.playbook(), trim(l.t()), d.confidence());
        }

        private static String trim(double t) {
            return t == Math.rint(t) ? Long.toString((long) t) : Double.toString(t);
        }
    }

    private ReplayComparison() {
    }

    static List<Difference> compare(List<Replayer.Line> base, List<Replayer.Line> other) {
        Map<String, List<Replayer.Line>> a = byDiagnosis(base);
        Map<String, List<Replayer.Line>> b = byDiagnosis(other);
        List<String> keys = new ArrayList<>(a.keySet());
        b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(keys::add);
        List<Difference> out = new ArrayList<>();
        for (String key : keys) {
            List<Replayer.Line> la = a.getOrDefault(key, List.of());
            List<Replayer.Line> lb = b.getOrDefault(key, List.of());
            for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
                Replayer.Line x = i < la.size() ? la.get(i) : null;
                Replayer.Line y = i < lb.size() ? lb.get(i) : null;
                if (x == null || y == null || x.decision().kind() != y.decision().kind()
                        || !Objects.equals(x.decision().playbook(), y.decision().playbook())) {
                    Decision d = (x != null ? x : y).decision();
                    out.add(new Difference(d.signature(), d.target().labels(), x, y));
                }
            }
        }
        return out;
    }

    private static Map<String, List<Replayer.Line>> byDiagnosis(List<Replayer.Line> lines) {
        Map<String, List<Replayer.Line>> m = new LinkedHashMap<>();
        for (Replayer.Line l : lines) {
            m.computeIfAbsent(l.decision().signature() + " " + l.decision().target(), k -> new ArrayList<>()).add(l);
        }
        return m;
    }
}
