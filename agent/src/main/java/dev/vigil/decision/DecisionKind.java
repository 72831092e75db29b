package dev.vigil.decision;

import java.util.Locale;

/** What Vigil does about a diagnosis. */
public enum DecisionKind {
    /** Run the playbook without asking. */
    EXECUTE,
    /** Ask a human to approve the playbook. */
    APPROVE,
    /** Only tell the owners. */
    NOTIFY,
    /** Hold back: acting would be wrong here, or a guard blocks it. */
    SUPPRESS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean acts() {
        return this == EXECUTE || this == APPROVE;
    }
}
