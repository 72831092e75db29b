package dev.vigil.audit;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of verifying an audit chain; immutable.
 *
 * @param ok              whether every line is a well-formed record that continues the chain (checkpoints included)
 * @param records         how many records were found intact: all of them when {@code ok}, otherwise those
 *                        before the first broken line
 * @param file            the file holding the first broken line; empty when {@code ok} or when lines were verified
 * @param firstBrokenLine the 1-based line number (within {@code file}) of the first broken record; 0 when {@code ok}
 * @param reason          why that line is broken; empty when {@code ok}
 * @param tornTail        the only fault is the journal's last line, torn by a crash mid-write: every record before
 *                        it is intact, and opening the journal seals the line and continues the chain
 * @param checkpoints     how many checkpoint records were found whose tree size and root match the records before them
 * @param signatures      how many of those had their signature verified with a given public key
 * @param recoveries      torn lines inside the journal that a {@code journal.recovered} record names exactly
 */
public record VerifyResult(boolean ok, long records, String file, long firstBrokenLine, String reason,
                           boolean tornTail, long checkpoints, long signatures, List<String> recoveries) {

    public VerifyResult {
        Objects.requireNonNull(file, "file");
        recoveries = List.copyOf(recoveries);
        if (records < 0 || checkpoints < 0 || signatures < 0 || signatures > checkpoints) {
            throw new IllegalArgumentException("counts must be >= 0 and signatures <= checkpoints, were records="
                    + records + ", checkpoints=" + checkpoints + ", signatures=" + signatures);
        }
        if (reason == null) {
            throw new IllegalArgumentException("reason must not be null (use \"\" when ok)");
        }
        if (ok && (firstBrokenLine != 0 || !reason.isEmpty() || tornTail || !file.isEmpty())) {
            throw new IllegalArgumentException("an ok result has no broken line, file, torn tail or reason, got line "
                    + firstBrokenLine + " and reason '" + reason + "'");
        }
        if (!ok && (firstBrokenLine < 1 || reason.isBlank())) {
            throw new IllegalArgumentException("a broken result needs a line >= 1 and a reason, got line "
                    + firstBrokenLine + " and reason '" + reason + "'");
        }
    }

    /** A result with no file, checkpoints or recoveries: what verifying plain lines gives. */
    public VerifyResult(boolean ok, long records, long firstBrokenLine, String reason) {
        this(ok, records, "", firstBrokenLine, reason, false, 0, 0, List.of());
    }

    static VerifyResult intact(long records) {
        return new VerifyResult(true, records, 0, "");
    }

    /** The seq the first broken line should carry: one more than the intact records before it. */
    public long brokenSeq() {
        return ok ? 0 : records + 1;
    }

    /**
     * One line for people: {@code ok: N records, chain intact} (with checkpoints and recoveries when there are any),
     * {@code torn tail at FILE line L (seq S): REASON; …} or {@code broken at FILE line L (seq S): REASON}.
     */
    public String describe() {
        if (ok) {
            StringBuilder out = new StringBuilder("ok: " + records + " records, chain intact");
            if (checkpoints > 0) {
                out.append("; ").append(checkpoints).append(checkpoints == 1 ? " checkpoint matches" : " checkpoints match")
                        .append(signatures == checkpoints ? ", every signature valid for the given key"
                                : ", signatures not checked (no public key given)");
            }
            for (String recovery : recoveries) {
                out.append("; recovered ").append(recovery);
            }
            return out.toString();
        }
        String where = (file.isEmpty() ? "" : file + " ") + "line " + firstBrokenLine + " (seq " + brokenSeq() + "): ";
        if (tornTail) {
            return "torn tail at " + where + reason + "; the " + records + " records before it are intact (a crash "
                    + "mid-write; opening the journal leaves the line in place, sealed, and continues the chain)";
        }
        return "broken at " + where + reason;
    }
}
