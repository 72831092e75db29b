package dev.vigil.decision;

import java.util.Locale;

/** How much harm a playbook can do when it is wrong; the gate asks more of riskier playbooks. */
public enum Risk {
    /** Changes nothing (notify only). */
    NONE,
    LOW,
    MEDIUM,
    HIGH;

    /** Parses the lower-case content form; null when unknown. */
    public static Risk parse(String text) {
        for (Risk r : values()) {
            if (r.name().toLowerCase(Locale.ROOT).equals(text)) {
                return r;
            }
        }
        return null;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
