package dev.vigil.scenario;

import java.util.List;

/** The wire names of the four decisions, in the contract's order. Stateless. */
final class Decisions {
    static final String EXECUTE = "execute";
    static final String APPROVE = "approve";
    static final String NOTIFY = "notify";
    static final String SUPPRESS = "suppress";
    static final List<String> ALL = List.of(EXECUTE, APPROVE, NOTIFY, SUPPRESS);

    private Decisions() {
    }

    /** Execute and approve act on the world (or ask to); notify and suppress do not. */
    static boolean acts(String decision) {
        return EXECUTE.equals(decision) || APPROVE.equals(decision);
    }

    static String require(String decision, String what) {
        if (!ALL.contains(decision)) {
            throw new IllegalArgumentException(what + " must be one of " + String.join(", ", ALL) + ", was "
                    + (decision == null ? "null" : Text.quote(decision)));
        }
        return decision;
    }
}
