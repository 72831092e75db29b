package dev.vigil.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Recomputes an audit chain line by line, across its files, and names the first broken record; stateless and
 * thread-safe.
 *
 * <p>Each line must be a record in canonical form whose hash matches its content, whose seq is one more than
 * the record before (1 first) and whose prev is the hash of the record before (64 zeros first), the chain running
 * from the oldest sealed file through the active one. That catches a modified record (hash mismatch, or a prev
 * mismatch on the next line if it was rehashed), a deleted, inserted or duplicated record, reordered records
 * (seq) and a deleted or reordered file. A last line torn by a crash (no line break at the end, or not JSON) is
 * reported as a torn tail when it ends the journal, and accepted inside it only where the next record is a
 * {@code journal.recovered} record naming its file, line, length and SHA-256. Each checkpoint record must cover
 * exactly the records before it with the right Merkle root; given a public key, its signature is checked too.
 * Records cut off whole from the end cannot be seen from inside the chain: a checkpoint kept elsewhere and
 * {@code vigil audit consistency} show that.
 */
public final class AuditVerifier {
    private static final String TORN = "torn or truncated last line";

    private AuditVerifier() {
    }

    /** Verifies a journal whose active file is {@code file}, signatures unchecked; see {@link #verify(Path, Optional)}. */
    public static VerifyResult verify(Path file) throws IOException {
        return verify(file, Optional.empty());
    }

    /**
     * Verifies every file of the journal whose active file is {@code file} (its sealed files {@code FILE.1},
     * {@code FILE.2}, … first), reading each once, front to back. No file, or only empty ones, is an intact chain of
     * 0 records.
     */
    public static VerifyResult verify(Path file, Optional<PublicKey> publicKey) throws IOException {
        return walk(file, publicKey, null).result();
    }

    /**
     * Verifies lines without their line breaks, such as {@link AuditJournal#lines()}. A last line that is not
     * JSON is reported as torn; whether it ended with a line break cannot be known here.
     */
    public static VerifyResult verify(List<String> lines) {
        return verify(lines, Optional.empty());
    }

    /** Verifies lines as {@link #verify(List)} does, and checkpoint signatures with {@code publicKey} if given. */
    public static VerifyResult verify(List<String> lines, Optional<PublicKey> publicKey) {
        Objects.requireNonNull(lines, "lines");
        Chain chain = new Chain(publicKey, null);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line == null) {
                throw new IllegalArgumentException("line " + (i + 1) + " is null");
            }
            if (!chain.accept("", i + 1, line.getBytes(StandardCharsets.UTF_8), true, i == lines.size() - 1)) {
                break;
            }
        }
        return chain.result();
    }

    /** Walks the journal's files; when {@code leaves} is given, collects the leaf hash of every intact record. */
    static Chain walk(Path file, Optional<PublicKey> publicKey, List<byte[]> leaves) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(publicKey, "publicKey");
        Chain chain = new Chain(publicKey, leaves);
        JournalFiles.forEachLine(JournalFiles.all(file),
                line -> chain.accept(line.file().toString(), line.number(), line.bytes(), line.terminated(), line.lastInFile()));
        return chain;
    }

    /** A torn line waiting for the record that recovers it. */
    private record Torn(String file, long line, byte[] bytes, String reason) {
        String name() {
            return file.isEmpty() ? "" : Path.of(file).getFileName().toString();
        }
    }

    /** The chain so far: intact records, the hash the next record must name as prev, the Merkle tree of the records. */
    static final class Chain {
        private final Optional<PublicKey> publicKey;
        private final List<byte[]> leaves;
        private final MerkleTree.Frontier frontier = new MerkleTree.Frontier();
        private final List<String> recoveries = new ArrayList<>();
        final List<Checkpoint> checkpoints = new ArrayList<>();
        private long records;
        private long signatures;
        private String prev = Canonical.GENESIS;
        private Torn torn;
        private VerifyResult broken;

        Chain(Optional<PublicKey> publicKey, List<byte[]> leaves) {
            this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
            this.leaves = leaves;
        }

        boolean accept(String file, long line, byte[] bytes, boolean terminated, boolean lastInFile) {
            if (!terminated) {
                return torn(file, line, bytes, "no line break at the end");
            }
            String text;
            try {
                text = Canonical.decode(bytes, bytes.length);
            } catch (CharacterCodingException e) {
                return lastInFile ? torn(file, line, JournalFiles.withBreak(bytes), "not valid UTF-8") : fail(file, line, "not valid UTF-8");
            }
            AuditRecord record;
            try {
                record = Canonical.parse(text);
            } catch (Canonical.BadRecord e) {
                return lastInFile && e.unreadable() ? torn(file, line, JournalFiles.withBreak(bytes), e.getMessage())
                        : fail(file, line, e.getMessage());
            }
            if (torn != null) {
                String mismatch = recoveryMismatch(record);
                if (mismatch != null) {
                    return fail(torn.file, torn.line, TORN + " (" + torn.reason + ") inside the journal, and the next "
                            + "record (" + where(file, line) + ") " + mismatch);
                }
                recoveries.add(torn.name() + ":" + torn.line + " (" + torn.bytes.length + " bytes) continued by seq "
                        + record.seq());
                torn = null;
            } else if (record.type().equals(AuditJournal.RECOVERED)) {
                return fail(file, line, AuditJournal.RECOVERED + " record, but no torn line comes before it");
            }
            long expected = records + 1;
            if (record.seq() > expected) {
                return fail(file, line, "expected seq " + expected + ", found " + record.seq()
                        + ": records before this line were deleted, or records are out of order");
            }
            if (record.seq() < expected) {
                return fail(file, line, "expected seq " + expected + ", found " + record.seq()
                        + ": this record was inserted or duplicated, or records are out of order");
            }
            if (!record.prev().equals(prev)) {
                return fail(file, line, records == 0
                        ? "prev of the first record is not the genesis value (64 zeros)"
                        : "prev does not match the hash of the record before (seq " + records
                                + "): that record or this one was replaced");
            }
            if (record.type().equals(Checkpoint.TYPE)) {
                String problem = checkpointProblem(record.data());
                if (problem != null) {
                    return fail(file, line, problem);
                }
            }
            records++;
            prev = record.hash();
            byte[] leaf = MerkleTree.leafHash(bytes);
            frontier.append(leaf);
            if (leaves != null) {
                leaves.add(leaf);
            }
            return true;
        }

        private String checkpointProblem(JsonNode data) {
            Checkpoint checkpoint;
            try {
                checkpoint = Checkpoint.from(data);
            } catch (IllegalArgumentException e) {
                return "not a well-formed checkpoint: " + e.getMessage();
            }
            if (checkpoint.treeSize() != records) {
                return "checkpoint covers " + checkpoint.treeSize() + " records, but " + records + " come before it";
            }
            if (!checkpoint.root().equals(HexFormat.of().formatHex(frontier.root()))) {
                return "checkpoint root does not match the " + records + " records before it: one of them, or the "
                        + "checkpoint, was changed";
            }
            if (publicKey.isPresent()) {
                String given = SigningKey.keyId(publicKey.get());
                if (!given.equals(checkpoint.key())) {
                    return "checkpoint was signed by key " + checkpoint.key().substring(0, 16) + "…, not by the given key "
                            + given.substring(0, 16) + "…";
                }
                if (!checkpoint.verify(publicKey.get())) {
                    return "checkpoint signature is not valid for the given public key (forged or altered)";
                }
                signatures++;
            }
            checkpoints.add(checkpoint);
            return null;
        }

        private String recoveryMismatch(AuditRecord record) {
            if (!record.type().equals(AuditJournal.RECOVERED)) {
                return "is not a " + AuditJournal.RECOVERED + " record naming it";
            }
            JsonNode data = record.data();
            String sha = HexFormat.of().formatHex(MerkleTree.sha256().digest(torn.bytes));
            boolean names = data.path("file").asText().equals(torn.name()) && data.path("line").asLong() == torn.line
                    && data.path("bytes").asLong() == torn.bytes.length && data.path("sha256").asText().equals(sha);
            return names ? null : "is a " + AuditJournal.RECOVERED + " record that names another line or other bytes";
        }

        private boolean torn(String file, long line, byte[] bytes, String reason) {
            if (torn != null) {
                return fail(torn.file, torn.line, TORN + " (" + torn.reason + ") inside the journal, and the next "
                        + "file's first line is torn too");
            }
            torn = new Torn(file, line, bytes, reason);
            return true;
        }

        private boolean fail(String file, long line, String reason) {
            broken = new VerifyResult(false, records, file, line, reason, false, checkpoints.size(), signatures, recoveries);
            return false;
        }

        VerifyResult result() {
            if (broken != null) {
                return broken;
            }
            if (torn != null) {
                return new VerifyResult(false, records, torn.file, torn.line, TORN + ": " + torn.reason, true,
                        checkpoints.size(), signatures, recoveries);
            }
            return new VerifyResult(true, records, "", 0, "", false, checkpoints.size(), signatures, recoveries);
        }

        private static String where(String file, long line) {
            return (file.isEmpty() ? "" : Path.of(file).getFileName() + " ") + "line " + line;
        }
    }
}
