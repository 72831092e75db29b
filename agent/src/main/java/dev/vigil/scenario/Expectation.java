package dev.vigil.scenario;

import dev.vigil.fact.Target;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a correct agent decides on a scenario, from one {@code expect} line; {@link ExpectationChecker} compares it
 * with a run's decisions. Implementations are immutable, so thread-safe.
 */
public sealed interface Expectation permits Expectation.Expect, Expectation.Forbid, Expectation.None {

    /** The 1-based line of the file it came from. */
    int line();

    /** One short line, e.g. {@code expect db-connection-pool-exhaustion {service=checkout, host=app-1} execute recycle-connection-pool}. */
    String describe();

    /**
     * A decision like this must be emitted at some point: this signature, one of these decisions, this playbook
     * (any when null), on a target holding every label of {@code target}.
     *
     * @param target    a subset of the decision's target; {@link Target#ANY} (also for null) matches every target
     * @param decisions the acceptable decisions among execute, approve, notify, suppress, in file order
     * @param playbook  null for any playbook
     */
    record Expect(String signature, Target target, Set<String> decisions, String playbook, int line)
            implements Expectation {
        public Expect {
            Objects.requireNonNull(signature, "signature");
            target = Objects.requireNonNullElse(target, Target.ANY);
            if (decisions.isEmpty()) {
                throw new IllegalArgumentException("an expectation needs at least one acceptable decision");
            }
            LinkedHashSet<String> ordered = new LinkedHashSet<>();
            for (String d : decisions) {
                ordered.add(Decisions.require(d, "decision"));
            }
            decisions = Collections.unmodifiableSet(ordered);
        }

        @Override
        public String describe() {
            StringBuilder sb = new StringBuilder("expect ").append(signature);
            if (!target.labels().isEmpty()) {
                sb.append(' ').append(target);
            }
            sb.append(' ').append(String.join("|", decisions));
            if (playbook != null) {
                sb.append(' ').append(playbook);
            }
            return sb.toString();
        }
    }

    /**
     * No decision to execute or approve may name {@code playbook} for a target holding every label of
     * {@code target}.
     *
     * @param target {@link Target#ANY} (also for null) forbids the playbook on every target
     */
    record Forbid(String playbook, Target target, int line) implements Expectation {
        public Forbid {
            Objects.requireNonNull(playbook, "playbook");
            target = Objects.requireNonNullElse(target, Target.ANY);
        }

        @Override
        public String describe() {
            return "forbid " + playbook + (target.labels().isEmpty() ? "" : " " + target);
        }
    }

    /** No decision other than notify or suppress may be emitted. */
    record None(int line) implements Expectation {
        @Override
        public String describe() {
            return "expect none: no decision other than notify or suppress";
        }
    }
}
