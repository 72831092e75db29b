package dev.vigil.scenario;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Compares the decisions of one run with a scenario's expectations, as {@code vigil replay --check} does
 * (SCENARIOS.md, "Expectations"). Stateless, so thread-safe.
 */
public final class ExpectationChecker {
    /** How many decisions a failure message lists before it only counts the rest. */
    static final int MAX_LISTED = 5;

    private ExpectationChecker() {
    }

    /**
     * The expectations not met, in their order; empty when the run passes.
     *
     * @param decisions every decision the run emitted, in order
     */
    public static List<CheckFailure> check(List<Expectation> expectations, List<ObservedDecision> decisions) {
        Objects.requireNonNull(expectations, "expectations");
        List<ObservedDecision> run = List.copyOf(decisions);
        List<CheckFailure> failures = new ArrayList<>();
        for (Expectation e : expectations) {
            String message;
            if (e instanceof Expectation.Expect x) {
                message = expect(x, run);
            } else if (e instanceof Expectation.Forbid f) {
                message = forbid(f, run);
            } else if (e instanceof Expectation.None) {
                message = none(run);
            } else {
                throw new NullPointerException("expectation");
            }
            if (message != null) {
                failures.add(new CheckFailure(e, message));
            }
        }
        return List.copyOf(failures);
    }

    private static String expect(Expectation.Expect x, List<ObservedDecision> run) {
        List<ObservedDecision> same = run.stream().filter(d -> d.signature().equals(x.signature())).toList();
        if (same.isEmpty()) {
            return "no decision for " + x.signature();
        }
        boolean met = same.stream().anyMatch(d -> x.decisions().contains(d.decision())
                && (x.playbook() == null || x.playbook().equals(d.playbook()))
                && d.target().matches(x.target()));
        return met ? null : "decided instead: " + list(same, d -> true);
    }

    private static String forbid(Expectation.Forbid f, List<ObservedDecision> run) {
        Predicate<ObservedDecision> offends = d -> Decisions.acts(d.decision())
                && f.playbook().equals(d.playbook())
                && d.target().matches(f.target());
        return run.stream().anyMatch(offends) ? "decided anyway: " + list(run, offends) : null;
    }

    private static String none(List<ObservedDecision> run) {
        Predicate<ObservedDecision> acts = d -> !Decisions.NOTIFY.equals(d.decision())
                && !Decisions.SUPPRESS.equals(d.decision());
        return run.stream().anyMatch(acts) ? "decided: " + list(run, acts) : null;
    }

    /** The distinct matching decisions, in order, the first {@link #MAX_LISTED} by name and the rest counted. */
    private static String list(List<ObservedDecision> run, Predicate<ObservedDecision> which) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(run.stream().filter(which)
                .map(ObservedDecision::describe).toList()));
        StringBuilder sb = new StringBuilder(String.join("; ", distinct.subList(0, Math.min(MAX_LISTED, distinct.size()))));
        if (distinct.size() > MAX_LISTED) {
            sb.append("; and ").append(distinct.size() - MAX_LISTED).append(" more");
        }
        return sb.toString();
    }
}
