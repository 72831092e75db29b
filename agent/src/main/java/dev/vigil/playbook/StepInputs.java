package dev.vigil.playbook;

import java.util.Map;
import java.util.Optional;

/**
 * The last check an executor makes on the values it is given before it renders a step: every parameter the step
 * names has a value, and no value is oversized or holds a control character. The runner passes values a
 * {@link BindResult.Bound} validated in full; this keeps an executor safe even when called another way. Stateless.
 */
final class StepInputs {
    private StepInputs() {
    }

    /** Why {@code step} must not run with {@code values}, as a sentence; empty when it may. */
    static Optional<String> problem(Step step, Map<String, String> values) {
        for (String name : Templates.needed(step)) {
            String value = values.get(name);
            if (value == null) {
                return Optional.of("step " + step.name() + " needs parameter " + name + ", which has no value");
            }
            if (value.length() > ParameterSpec.MAX_LENGTH) {
                return Optional.of("parameter " + name + ": value is too long (" + value.length() + " characters)");
            }
            if (Quote.hasControl(value)) {
                return Optional.of("parameter " + name + ": value " + Quote.quote(value) + " contains a control character");
            }
        }
        return Optional.empty();
    }
}
