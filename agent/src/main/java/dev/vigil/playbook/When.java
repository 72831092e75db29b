package dev.vigil.playbook;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When a step runs: always, when an enum parameter has a given value, or when a parameter is (or is not) bound.
 * Lets one playbook restart through Kubernetes when the target has a namespace and through systemd otherwise.
 * Immutable.
 */
public record When(String parameter, Optional<String> equalTo, Optional<Boolean> present) {
    /** The step always runs. */
    public static final When ALWAYS = new When("", Optional.empty(), Optional.empty());

    public When {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(equalTo, "equalTo");
        Objects.requireNonNull(present, "present");
    }

    public boolean always() {
        return parameter.isEmpty();
    }

    /** True when the step runs with these bound values. */
    public boolean holds(Map<String, String> values) {
        if (always()) {
            return true;
        }
        String v = values.get(parameter);
        if (equalTo.isPresent()) {
            return equalTo.get().equals(v);
        }
        return present.orElse(true) == (v != null);
    }

    @Override
    public String toString() {
        if (always()) {
            return "always";
        }
        return equalTo.map(e -> parameter + " == " + e).orElseGet(() -> parameter + (present.orElse(true) ? " is bound" : " is not bound"));
    }
}
