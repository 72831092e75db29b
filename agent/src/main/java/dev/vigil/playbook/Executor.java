package dev.vigil.playbook;

import java.util.Locale;

/** The fixed set of executors a playbook step may use; nothing else can touch the world. Immutable. */
public enum Executor {
    /** Starts a script from {@code playbooks/scripts/} with an argument vector, never through a shell. */
    EXEC,
    /** One HTTP request to an admin endpoint. */
    HTTP,
    /** One SQL statement with bind parameters on a named connection. */
    SQL,
    /** One Kubernetes API action from a fixed list. */
    KUBERNETES,
    /** A message to the owners; changes nothing. */
    NOTIFY;

    /** The lower-case content form ({@code exec}, {@code http}, …). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the content form; null when unknown. */
    public static Executor parse(String text) {
        for (Executor e : values()) {
            if (e.wireName().equals(text)) {
                return e;
            }
        }
        return null;
    }
}
