package dev.vigil.audit;

/**
 * The outcome of verifying an audit chain; immutable.
 *
 * @param ok              whether every line is a well-formed record that continues the chain
 * @param records         how many records were found intact: all of them when {@code ok}, otherwise those
 *                        before the first broken line
 * @param firstBrokenLine the 1-based line number of the first broken record; 0 when {@code ok}
 * @param reason          why that line is broken; empty when {@code ok}
 */
public record VerifyResult(boolean ok, long records, long firstBrokenLine, String reason) {

    public VerifyResult {
        if (records < 0) {
            throw new IllegalArgumentException("records must be >= 0, was " + records);
        }
        if (reason == null) {
            throw new IllegalArgumentException("reason must not be null (use \"\" when ok)");
        }
        if (ok && (firstBrokenLine != 0 || !reason.isEmpty())) {
            throw new IllegalArgumentException("an ok result has no broken line and no reason, got line "
                    + firstBrokenLine + " and reason '" + reason + "'");
        }
        if (!ok && (firstBrokenLine < 1 || reason.isBlank())) {
            throw new IllegalArgumentException("a broken result needs a line >= 1 and a reason, got line "
                    + firstBrokenLine + " and reason '" + reason + "'");
        }
    }

    static VerifyResult intact(long records) {
        return new VerifyResult(true, records, 0, "");
    }

    static VerifyResult broken(long intactRecords, long line, String reason) {
        return new VerifyResult(false, intactRecords, line, reason);
    }

    /**
     * One line for people: {@code ok: N records, chain intact} or {@code broken at line L (seq S): REASON},
     * where S is the sequence number that line should carry (one more than the intact records before it).
     */
    public String describe() {
        if (ok) {
            return "ok: " + records + " records, chain intact";
        }
        return "broken at line " + firstBrokenLine + " (seq " + (records + 1) + "): " + reason;
    }
}
