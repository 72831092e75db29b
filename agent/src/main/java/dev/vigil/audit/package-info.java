/**
 * The audit stage: the append-only, hash-chained journal every pipeline step writes to, and its verifier.
 *
 * <p>Stages write through {@link dev.vigil.audit.AuditSink}; the wiring binds it to an
 * {@link dev.vigil.audit.AuditJournal}. {@code vigil audit verify} runs {@link dev.vigil.audit.AuditVerifier};
 * {@code vigil audit prove} and {@code vigil audit consistency} use {@link dev.vigil.audit.JournalTree}.
 * This package uses nothing else from Vigil but {@code dev.vigil.fact} (records appear as data).
 *
 * <h2>Record format</h2>
 * One JSON object per line, fields in this order: {@code seq} (from 1), {@code time} (ISO-8601 UTC, milliseconds),
 * {@code type}, {@code data} (an object), {@code prev} (the previous record's hash; 64 zeros first) and
 * {@code hash}: the hex SHA-256 of the UTF-8 bytes of the line without its {@code hash} field, that is
 * {@code {"seq":..,"time":..,"type":..,"data":..,"prev":..}}. No whitespace; object keys in {@code data} sorted
 * at every level; numbers as Jackson writes them.
 *
 * <h2>Files</h2>
 * The active file ({@code audit.jsonl}) is sealed by renaming it {@code audit.jsonl.N} (N = 1, 2, … in the order
 * written) once it reaches {@code rotate_bytes} or {@code rotate_interval} after its first record; the next record
 * goes to a new active file and names the sealed file's last hash as {@code prev}, so one chain runs through all
 * files. {@code audit.jsonl.lock} holds the writer's lock; it has no data.
 *
 * <h2>The journal's own records</h2>
 * Types starting with {@code journal.} are the journal's; callers cannot append them.
 * <ul>
 *   <li>{@code journal.checkpoint}: {@code data = {key, root, signature, tree_size}}: the RFC 6962 root of records
 *       1..tree_size (leaf = SHA-256(0x00 || line bytes without the line break), node = SHA-256(0x01 || l || r)),
 *       signed with Ed25519 over <code>"vigil-audit-checkpoint/v1&#92;n" + tree_size + "&#92;n" + root + "&#92;n"</code>; key is
 *       the hex SHA-256 of the public key's DER. Written at the first append {@code checkpoint_interval} after the
 *       previous one and at close, only when a signing key is configured.</li>
 *   <li>{@code journal.recovered}: {@code data = {bytes, file, line, sha256}}: names a torn last line (file name,
 *       line number, length and SHA-256 of its exact bytes, including a line break if it has one).</li>
 * </ul>
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
 *   <li><b>A torn tail is sealed, not repaired.</b> A crash mid-write can leave the last line torn (no line break,
 *       or not JSON). {@code open} never rewrites or truncates it: it renames the file holding it to the next sealed
 *       name, as it is, and starts the new active file with a {@code journal.recovered} record that continues the
 *       chain from the last good record (seq + 1, prev = its hash) and names the torn line exactly. It logs a warning
 *       and {@link dev.vigil.audit.AuditJournal#recovered()} says it for the start banner. The verifier accepts a torn
 *       line inside the journal only when the next record is that exact recovery record; at the end of the journal
 *       it reports a torn tail (exit 3), every record before it intact. A torn line was never committed: commit
 *       returns only after the whole line is written and fsynced. A last record that parses but is wrong (edited) is
 *       not torn: {@code open} refuses it, as a governor must look.</li>
 *   <li><b>{@code open} reads only what it needs.</b> Without a signing key it reads the last two files that hold
 *       lines and parses only the last line (and the active file's first, for the rotation clock). With a key it
 *       hashes every line of every file once to rebuild the Merkle frontier (O(log n) hashes), so checkpoints keep
 *       covering the whole journal across restarts; it refuses to open when the files' record count disagrees with
 *       the last seq, since checkpoints over a broken chain would be wrong.</li>
 *   <li><b>Rotation happens on append</b>, under the commit lock (fsync the old file, rename, new file, fsync the
 *       directory), so no commit fsyncs a file being swapped; a quiet journal does not rotate until its next record.
 *       A crash between the rename and the new file leaves no active file; {@code open} continues from the last
 *       sealed one. Checkpoints are likewise written at the first append after they are due, and at close.</li>
 *   <li><b>Inclusion proofs do not bind the tree size</b> (an RFC 6962 property): compare a proof's root and size
 *       with a signed checkpoint. Truncating whole records at the end cannot be seen from inside the chain; a
 *       checkpoint a governor kept, and a consistency proof from it, shows it.</li>
 * </ul>
 */
package dev.vigil.audit;
