package dev.vigil.api;

import java.util.Locale;

/** What a token may do, each role including the ones before it: viewer &lt; approver &lt; governor. */
public enum Role {
    /** Reads everything: approvals, decisions, the journal and its verification, the catalog, the execution state. */
    VIEWER,
    /** Also answers approval requests. */
    APPROVER,
    /** Also changes governance: kill switch, circuits, content reload, promoting a signature out of shadow. */
    GOVERNOR;

    /** Whether this role may do what {@code required} may. */
    public boolean covers(Role required) {
        return compareTo(required) >= 0;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the lower-case config form; null when unknown. */
    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.wireName().equals(text)) {
                return r;
            }
        }
        return null;
    }
}
