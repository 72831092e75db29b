package dev.vigil.fact;

import java.util.Locale;

/** Kinds of change in the environment. */
public enum ChangeType {
    DEPLOY,
    CONFIG_CHANGE,
    SCALE,
    RESTART,
    NODE_DRAIN;

    /** Parses the lower-case wire form ({@code deploy}, {@code config_change}, …); null when unknown. */
    public static ChangeType parse(String text) {
        for (ChangeType t : values()) {
            if (t.name().toLowerCase(Locale.ROOT).equals(text)) {
                return t;
            }
        }
        return null;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
