package dev.vigil.playbook;

import java.util.Map;

/**
 * Where the runner records what it does, owned by the caller (the audit journal, bound in the wiring). A record is
 * durable when the call returns; when it cannot be made durable the call throws and the runner takes no further step.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface RunJournal {
    /** Appends one record and makes it durable. */
    void record(String type, Map<String, ?> data);
}
