/**
 * The audit stage: the append-only, hash-chained journal every pipeline step writes to, and its verifier.
 *
 * <p>Stages write through {@link dev.vigil.audit.AuditSink}; the wiring binds it to an
 * {@link dev.vigil.audit.AuditJournal}. {@code vigil audit verify} runs {@link dev.vigil.audit.AuditVerifier}.
 * This package uses nothing else from Vigil but {@code dev.vigil.fact} (records appear as data).
 *
 * <h2>Record format</h2>
 * One JSON object per line, fields in this order: {@code seq} (from 1), {@code time} (ISO-8601 UTC, milliseconds),
 * {@code type}, {@code data} (an object), {@code prev} (the previous record's hash; 64 zeros first) and
 * {@code hash}: the hex SHA-256 of the UTF-8 bytes of the line without its {@code hash} field, that is
 * {@code {"seq":..,"time":..,"type":..,"data":..,"prev":..}}. No whitespace; object keys in {@code data} sorted
 * at every level; numbers as Jackson writes them.
 *
 * <h2>Design decisions</h2>
 * <ul>
 *   <li><b>The verifier accepts only canonical lines.</b> It re-serializes each record and compares the result with
 *       the line byte for byte, so reformatting, reordered keys and extra fields are reported, not tolerated. To
 *       keep that from ever rejecting a record the journal wrote, {@code append} writes the data in the form it
 *       reads back as: it converts the data to a tree, writes it, reads it back, and keeps that tree (a
 *       {@code BigDecimal} of {@code 1.10} is written {@code 1.1}, {@code NaN} becomes the string
 *       {@code "NaN"}). Data that does not reach a fixed point, or that exceeds Jackson's read limits (a string
 *       over 20 M chars, nesting over 1000), is refused with {@code IllegalArgumentException} at append, not
 *       found broken at verify.</li>
 *   <li><b>Escaping beyond JSON.</b> Besides what JSON requires, U+0085, U+2028 and U+2029 are escaped (line
 *       breaks to some readers), and so is every surrogate, so an unpaired surrogate in telemetry text is kept
 *       exactly (as <code>&#92;uD800</code>) instead of becoming {@code '?'} in UTF-8, which would make the hash depend on
 *       a lossy encoding.</li>
 *   <li><b>A failed write fails the journal.</b> After an I/O error every append and commit throws
 *       {@link dev.vigil.audit.AuditException}: whether the failed line reached the disk is unknown, so the chain
 *       cannot safely go on. The journal truncates the partial line if it can; reopening continues from the last
 *       complete record.</li>
 *   <li><b>Group commit in the journal.</b> Appends hand each line to the OS at once (a crash loses at most the
 *       records not yet committed, and the first I/O error surfaces at the append that met it). {@code commit()}
 *       fsyncs outside the append lock; a commit that finds its records covered by an fsync that started after
 *       them returns at once.</li>
 *   <li><b>{@code RandomAccessFile}, not {@code FileChannel}.</b> An interrupt during a {@code FileChannel}
 *       write closes the channel; a cancelled pipeline task would take the journal down for every stage.</li>
 *   <li><b>{@code open} checks the last line only</b>, not the whole chain, so a daemon starts in time linear in
 *       the file's bytes (one scan for line breaks) rather than in hashing and parsing every record. A torn last
 *       line stops {@code open}: repairing it is a governor's decision, not something to do silently.</li>
 *   <li><b>The chain starts in each file.</b> Rotation with the chain carried across files is not here yet; when
 *       it comes, a file's first record will name the previous file's last hash as {@code prev}.</li>
 * </ul>
 */
package dev.vigil.audit;
