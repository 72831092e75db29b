package dev.vigil.audit;

import java.util.Map;

/**
 * Where the pipeline stages write their audit records; implementations are safe for use by many threads.
 *
 * <p>A stage appends one record per step and calls {@link #commit()} before it treats the step as done:
 * a decision counts as made only once its record is durable. Both methods fail closed: when a record
 * cannot be written they throw {@link AuditException}, and the caller must not act.
 */
public interface AuditSink {

    /**
     * Appends one record to the chain.
     *
     * @param type what the record is about ({@code "diagnosis"}, {@code "gate"}, {@code "step"}, …); not blank
     * @param data the record's content: strings, numbers, booleans, lists, maps, records, or null values
     * @return the record as written, with its sequence number, time and hashes
     * @throws IllegalArgumentException if {@code type} is blank or {@code data} cannot be written as JSON
     * @throws IllegalStateException    if the sink is closed
     * @throws AuditException           if the record could not be written, now or earlier
     */
    AuditRecord append(String type, Map<String, ?> data);

    /**
     * Makes every record appended so far durable (for a file: written and fsynced).
     *
     * @throws IllegalStateException if the sink is closed
     * @throws AuditException        if the records could not be made durable, now or earlier
     */
    void commit();

    /**
     * Makes every record appended so far durable, then runs {@code then}, which must wait for them (acting on a
     * decision, telling anyone of it). This default does both at once on the calling thread; a sink may instead do them
     * on a thread of its own ({@link BackgroundCommits}), so the caller goes on while the records reach the disk.
     * Either way {@code then} never runs when the records could not be made durable.
     *
     * @throws AuditException when committing on the calling thread fails; {@code then} has not run
     */
    default void commitThen(Runnable then) {
        commit();
        then.run();
    }
}
