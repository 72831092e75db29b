package dev.vigil.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Recomputes an audit chain line by line and names the first broken record; stateless and thread-safe.
 *
 * <p>Each line must be a record in canonical form whose hash matches its content, whose seq is one more than
 * the line before (1 on the first line) and whose prev is the hash of the line before (64 zeros on the first
 * line). That catches a modified record (hash mismatch, or a prev mismatch on the next line if it was rehashed),
 * a deleted, inserted or duplicated record and reordered records (seq), and a last line torn by a crash (no line
 * break at the end, or not JSON). Records cut off whole from the end cannot be seen from inside the chain;
 * compare {@link VerifyResult#records()} with a count or hash kept elsewhere for that.
 */
public final class AuditVerifier {
    private static final String TORN = "torn or truncated last line";

    private AuditVerifier() {
    }

    /** Verifies a journal file, reading it once, front to back. An empty file is an intact chain of 0 records. */
    public static VerifyResult verify(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Chain chain = new Chain();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[1 << 16];
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            byte[] pending = null; // a complete line not checked yet, because whether it is the last is not known yet
            for (int n; (n = in.read(chunk)) > 0; ) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        current.write(chunk, start, i - start);
                        start = i + 1;
                        if (pending != null && !chain.accept(pending, false)) {
                            return chain.result();
                        }
                        pending = current.toByteArray();
                        current.reset();
                    }
                }
                current.write(chunk, start, n - start);
            }
            if (current.size() > 0) {
                if (pending != null && !chain.accept(pending, false)) {
                    return chain.result();
                }
                return chain.torn("no line break at the end");
            }
            if (pending != null) {
                chain.accept(pending, true);
            }
            return chain.result();
        }
    }

    /**
     * Verifies lines without their line breaks, such as {@link AuditJournal#lines()}. A last line that is not
     * JSON is reported as torn; whether it ended with a line break cannot be known here.
     */
    public static VerifyResult verify(List<String> lines) {
        Objects.requireNonNull(lines, "lines");
        Chain chain = new Chain();
        for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
            String line = it.next();
            if (line == null) {
                throw new IllegalArgumentException("line " + (chain.line + 1) + " is null");
            }
            if (!chain.accept(line, !it.hasNext())) {
                return chain.result();
            }
        }
        return chain.result();
    }

    /** The chain so far: intact records, the line reached, the hash the next record must name as prev. */
    private static final class Chain {
        private long records;
        private long line;
        private String prev = Canonical.GENESIS;
        private VerifyResult broken;

        boolean accept(byte[] bytes, boolean last) {
            String text;
            try {
                text = Canonical.decode(bytes, bytes.length);
            } catch (CharacterCodingException e) {
                line++;
                return fail((last ? TORN + ": " : "") + "not valid UTF-8");
            }
            return accept(text, last);
        }

        boolean accept(String text, boolean last) {
            line++;
            AuditRecord record;
            try {
                record = Canonical.parse(text);
            } catch (Canonical.BadRecord e) {
                return fail((last && e.unreadable() ? TORN + ": " : "") + e.getMessage());
            }
            long expected = records + 1;
            if (record.seq() > expected) {
                return fail("expected seq " + expected + ", found " + record.seq()
                        + ": records before this line were deleted, or records are out of order");
            }
            if (record.seq() < expected) {
                return fail("expected seq " + expected + ", found " + record.seq()
                        + ": this record was inserted or duplicated, or records are out of order");
            }
            if (!record.prev().equals(prev)) {
                return fail(records == 0
                        ? "prev of the first record is not the genesis value (64 zeros)"
                        : "prev does not match the hash of line " + (line - 1)
                                + ": that record or this one was replaced");
            }
            records++;
            prev = record.hash();
            return true;
        }

        VerifyResult torn(String why) {
            line++;
            fail(TORN + ": " + why);
            return broken;
        }

        private boolean fail(String reason) {
            broken = VerifyResult.broken(records, line, reason);
            return false;
        }

        VerifyResult result() {
            return broken != null ? broken : VerifyResult.intact(records);
        }
    }
}
