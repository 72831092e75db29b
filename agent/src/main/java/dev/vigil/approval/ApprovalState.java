package dev.vigil.approval;

import java.util.Locale;

/** Where an approval request stands. Every state but {@link #PENDING} is final. */
public enum ApprovalState {
    /** Waiting for its approvers. */
    PENDING,
    /** Enough distinct approvers said yes; the action was handed on (or blocked by its guards). */
    APPROVED,
    /** An approver said no. */
    DENIED,
    /** Nobody answered in time; counts as denied. */
    EXPIRED,
    /** The diagnosis cleared before anyone answered. */
    CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this != PENDING;
    }

    /** Parses the wire form; null when unknown. */
    public static ApprovalState parse(String text) {
        for (ApprovalState s : values()) {
            if (s.wireName().equals(text)) {
                return s;
            }
        }
        return null;
    }
}
