package dev.vigil.playbook;

import java.util.Locale;

/** The types a playbook parameter can have; each has its own validation of untrusted values. Immutable. */
public enum ParameterType {
    /** Any text matching the parameter's anchored {@code pattern}. */
    STRING,
    /** A whole number within {@code minimum} and {@code maximum}. */
    INTEGER,
    /** A decimal number (no exponent) within {@code minimum} and {@code maximum}. */
    NUMBER,
    /** One of the listed {@code values}. */
    ENUM,
    /** An RFC 1123 host name or a dotted IPv4 address, at most 253 characters. */
    HOSTNAME,
    /** An absolute, normalised path under one of the parameter's {@code roots}. */
    PATH,
    /** A duration such as {@code 90s}, {@code 5m}, {@code 1h} or {@code 7d}. */
    DURATION;

    /** The lower-case content form. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the content form; null when unknown. */
    public static ParameterType parse(String text) {
        for (ParameterType t : values()) {
            if (t.wireName().equals(text)) {
                return t;
            }
        }
        return null;
    }
}
