package dev.vigil.approval;

import java.util.Locale;

/** Through which channel an answer (or a refusal) came. */
public enum Channel {
    SLACK,
    WEBHOOK,
    API,
    /** Vigil itself: expiry, cancellation, guards. */
    SYSTEM;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
