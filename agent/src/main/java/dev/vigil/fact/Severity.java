package dev.vigil.fact;

import java.util.Locale;

/** Log severity, ordered from least to most severe. */
public enum Severity {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    FATAL;

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** Parses the common spellings (WARNING, ERR, CRITICAL, …); null when unknown. */
    public static Severity parse(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "TRACE" -> TRACE;
            case "DEBUG" -> DEBUG;
            case "INFO", "INFORMATION", "NOTICE" -> INFO;
            case "WARN", "WARNING" -> WARN;
            case "ERROR", "ERR" -> ERROR;
            case "FATAL", "CRITICAL", "CRIT", "ALERT", "EMERGENCY", "EMERG" -> FATAL;
            default -> null;
        };
    }
}
