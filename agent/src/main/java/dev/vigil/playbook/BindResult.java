package dev.vigil.playbook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The outcome of binding a playbook's parameters to a target and evidence: every value, or every reason not. Immutable. */
public sealed interface BindResult permits BindResult.Bound, BindResult.Refused {

    /** Every parameter that has a value, validated, by name in declaration order. Immutable. */
    record Bound(Map<String, String> values) implements BindResult {
        public Bound {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /** Why the playbook cannot run with these values, one reason per parameter, untrusted values quoted safely. Immutable. */
    record Refused(List<String> reasons) implements BindResult {
        public Refused {
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a refusal needs at least one reason");
            }
        }
    }
}
