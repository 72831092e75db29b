package dev.vigil.audit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tampering with a five-record journal, and where and why the verifier says the chain breaks. */
class AuditVerifierTest {
    private final FakeClock clock = new FakeClock("2024-05-01T12:00:00Z");

    @TempDir
    Path dir;
    Path file;
    List<String> lines;

    @BeforeEach
    void fiveRecords() throws IOException {
        file = dir.resolve("audit.jsonl");
        Files.deleteIfExists(file);
        try (AuditJournal journal = AuditJournal.open(file, clock)) {
            for (int i = 1; i <= 5; i++) {
                journal.append("step", Map.of("n", i, "target", "db-1"));
            }
        }
        lines = AuditFiles.rawLines(file);
    }

    @Test
    void anUntouchedJournalIsIntact() throws IOException {
        VerifyResult result = AuditVerifier.verify(file);
        assertEquals(new VerifyResult(true, 5, 0, ""), result);
        assertEquals("ok: 5 records, chain intact", result.describe());
        assertEquals(result, AuditVerifier.verify(lines));
    }

    @Test
    void anEmptyFileIsIntactWithNoRecords() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.jsonl"));
        assertEquals("ok: 0 records, chain intact", AuditVerifier.verify(empty).describe());
        assertEquals(VerifyResult.intact(0), AuditVerifier.verify(List.of()));
    }

    @Test
    void aModifiedRecord_breaksAtItsLine_withAHashMismatch() throws IOException {
        lines.set(2, lines.get(2).replace("\"target\":\"db-1\"", "\"target\":\"db-2\""));

        VerifyResult result = rewriteAndVerify();
        assertEquals(3, result.firstBrokenLine());
        assertEquals(2, result.records());
        assertTrue(result.describe().startsWith("broken at line 3 (seq 3): hash mismatch: the record says "),
                result.describe());
        assertTrue(result.reason().endsWith("(record modified)"), result.reason());
    }

    @Test
    void aModifiedAndRehashedRecord_breaksAtTheNextLine_whosePrevNoLongerMatches() throws IOException {
        lines.set(2, AuditFiles.rehash(lines.get(2).replace("\"target\":\"db-1\"", "\"target\":\"db-2\"")));

        assertEquals("broken at line 4 (seq 4): prev does not match the hash of the record before (seq 3): "
                + "that record or this one was replaced", rewriteAndVerify().describe());
    }

    @Test
    void aDeletedRecord_breaksWhereTheGapIs() throws IOException {
        lines.remove(2);

        assertEquals("broken at line 3 (seq 3): expected seq 3, found 4: "
                + "records before this line were deleted, or records are out of order", rewriteAndVerify().describe());
    }

    @Test
    void aDeletedFirstRecord_breaksAtLineOne() throws IOException {
        lines.remove(0);

        VerifyResult result = rewriteAndVerify();
        assertEquals(1, result.firstBrokenLine());
        assertEquals(0, result.records());
        assertTrue(result.reason().startsWith("expected seq 1, found 2"), result.reason());
    }

    @Test
    void aDuplicatedRecord_breaksAtTheCopy() throws IOException {
        lines.add(3, lines.get(2));

        assertEquals("broken at line 4 (seq 4): expected seq 4, found 3: "
                + "this record was inserted or duplicated, or records are out of order", rewriteAndVerify().describe());
    }

    @Test
    void anInsertedCopyOfAnEarlierRecord_breaksAtTheInsertedLine() throws IOException {
        lines.add(2, lines.get(0));

        VerifyResult result = rewriteAndVerify();
        assertEquals(3, result.firstBrokenLine());
        assertTrue(result.reason().startsWith("expected seq 3, found 1: this record was inserted"), result.reason());
    }

    @Test
    void aForgedRecordThatChainsCorrectly_breaksAtTheNextGenuineRecord() throws IOException {
        // seq 3, prev = hash of line 2, a valid hash of its own: indistinguishable on its own line
        String forged = AuditFiles.rehash(AuditFiles.withPrev(
                AuditFiles.withSeq(lines.get(2).replace("\"n\":3", "\"n\":99"), 3), AuditFiles.hashOf(lines.get(1))));
        lines.add(2, forged);

        VerifyResult result = rewriteAndVerify();
        assertEquals(4, result.firstBrokenLine());
        assertEquals(3, result.records());
        assertTrue(result.reason().startsWith("expected seq 4, found 3: this record was inserted"), result.reason());
    }

    @Test
    void twoSwappedRecords_breakAtTheFirstOfThem() throws IOException {
        Collections.swap(lines, 1, 2);

        assertEquals("broken at line 2 (seq 2): expected seq 2, found 3: "
                + "records before this line were deleted, or records are out of order", rewriteAndVerify().describe());
    }

    @Test
    void aFileCutInTheMiddleOfTheLastLine_isReportedTorn() throws IOException {
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() - 30));

        VerifyResult result = AuditVerifier.verify(file);
        assertTrue(result.tornTail(), result.describe());
        assertEquals("torn tail at " + file + " line 5 (seq 5): torn or truncated last line: no line break at the end;"
                + " the 4 records before it are intact (a crash mid-write; opening the journal leaves the line in place,"
                + " sealed, and continues the chain)", result.describe());
    }

    @Test
    void aCompleteLastRecordWithoutItsLineBreak_isReportedTorn() throws IOException {
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() - 1));

        VerifyResult result = AuditVerifier.verify(file);
        assertEquals(5, result.firstBrokenLine());
        assertEquals(4, result.records());
        assertEquals("torn or truncated last line: no line break at the end", result.reason());
    }

    @Test
    void aLastLineThatIsNotJson_isReportedTorn() throws IOException {
        lines.set(4, lines.get(4).substring(0, 40));

        VerifyResult result = rewriteAndVerify();
        assertEquals(5, result.firstBrokenLine());
        assertTrue(result.tornTail());
        assertTrue(result.reason().startsWith("torn or truncated last line: not valid JSON: "), result.reason());
    }

    @Test
    void aLineInTheMiddleThatIsNotJson_breaksThere() throws IOException {
        lines.set(1, "this is not json");

        VerifyResult result = rewriteAndVerify();
        assertEquals(2, result.firstBrokenLine());
        assertTrue(result.reason().startsWith("not valid JSON: "), result.reason());
    }

    @Test
    void aLineInTheMiddleThatIsNotUtf8_breaksThere() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            byte[] line = lines.get(i).getBytes(StandardCharsets.UTF_8);
            if (i == 1) {
                line[30] = (byte) 0xC3; // a lead byte followed by ASCII
            }
            bytes.write(line);
            bytes.write('\n');
        }
        Files.write(file, bytes.toByteArray());

        assertEquals("broken at " + file + " line 2 (seq 2): not valid UTF-8", AuditVerifier.verify(file).describe());
    }

    @Test
    void fieldsInAnotherOrder_breakThere() throws IOException {
        String line = lines.get(1);
        String time = line.substring(line.indexOf("\"time\":"), line.indexOf(",\"type\":"));
        String type = line.substring(line.indexOf("\"type\":"), line.indexOf(",\"data\":"));
        lines.set(1, line.replace(time + "," + type, type + "," + time));

        assertEquals("broken at line 2 (seq 2): fields are [seq, type, time, data, prev, hash], "
                + "expected [seq, time, type, data, prev, hash] in that order", rewriteAndVerify().describe());
    }

    @Test
    void anExtraField_breaksThere() throws IOException {
        lines.set(3, AuditFiles.rehash(lines.get(3).replace(",\"prev\":", ",\"approvedBy\":\"mallory\",\"prev\":")));

        assertEquals("broken at line 4 (seq 4): fields are [seq, time, type, data, approvedBy, prev, hash], "
                + "expected [seq, time, type, data, prev, hash] in that order", rewriteAndVerify().describe());
    }

    @Test
    void aMissingField_breaksThere() throws IOException {
        lines.set(3, lines.get(3).replaceFirst(",\"type\":\"step\"", ""));

        assertEquals("broken at line 4 (seq 4): fields are [seq, time, data, prev, hash], "
                + "expected [seq, time, type, data, prev, hash] in that order", rewriteAndVerify().describe());
    }

    @Test
    void aReformattedRecordWithTheSameContent_isNotCanonical() throws IOException {
        lines.set(1, lines.get(1).replace("\"n\":2,", "\"n\": 2,"));
        VerifyResult spaced = rewriteAndVerify();
        assertEquals("broken at line 2 (seq 2): not in canonical form "
                + "(whitespace, key order or the way a value is written differs)", spaced.describe());

        fiveRecords();
        lines.set(1, lines.get(1).replace("{\"n\":2,\"target\":\"db-1\"}", "{\"target\":\"db-1\",\"n\":2}"));
        assertEquals(spaced, rewriteAndVerify());
    }

    @Test
    void aDuplicateKey_breaksThere() throws IOException {
        lines.set(1, lines.get(1).replace("{\"n\":2,", "{\"n\":2,\"n\":3,"));

        VerifyResult result = rewriteAndVerify();
        assertEquals(2, result.firstBrokenLine());
        assertTrue(result.reason().startsWith("not valid JSON: Duplicate field 'n'"), result.reason());
    }

    @Test
    void aFirstRecordThatDoesNotStartFromGenesis_breaksAtLineOne() throws IOException {
        lines.set(0, AuditFiles.rehash(AuditFiles.withPrev(lines.get(0), "f".repeat(64))));

        assertEquals("broken at line 1 (seq 1): prev of the first record is not the genesis value (64 zeros)",
                rewriteAndVerify().describe());
    }

    @Test
    void anEmptyLineInTheMiddle_breaksThere() throws IOException {
        lines.add(2, "");

        assertEquals("broken at line 3 (seq 3): empty line", rewriteAndVerify().describe());
    }

    @Test
    void badFieldValues_areNamed() {
        String line = lines.get(0);
        assertEquals("seq is not a positive integer: 1.0",
                AuditVerifier.verify(List.of(line.replaceFirst("\"seq\":1,", "\"seq\":1.0,"))).reason());
        assertEquals("time is not ISO-8601 UTC with milliseconds: 2024-05-01T12:00:00Z",
                AuditVerifier.verify(List.of(line.replace(".000Z", "Z"))).reason());
        assertEquals("prev is not 64 lowercase hex digits: " + "0".repeat(63) + "A",
                AuditVerifier.verify(List.of(AuditFiles.withPrev(line, "0".repeat(63) + "A"))).reason());
        assertEquals("data is not a JSON object",
                AuditVerifier.verify(List.of(line.replaceFirst("\"data\":\\{[^}]*}", "\"data\":[]"))).reason());
    }

    @Test
    void reasonsNeverCarryRawControlCharactersFromTheFile() {
        String hostile = lines.get(0).replace("\"type\":\"step\",", "\"type\":\"step\",\"\\u001b[2Jx\\n\":1,");

        VerifyResult result = AuditVerifier.verify(List.of(hostile));
        assertFalse(result.describe().chars().anyMatch(c -> c < 0x20), result.describe());
        assertEquals("fields are [seq, time, type, ?[2Jx?, data, prev, hash], "
                + "expected [seq, time, type, data, prev, hash] in that order", result.reason());
    }

    @Test
    void aVerifyResultRefusesContradictions() {
        assertThrows(IllegalArgumentException.class, () -> new VerifyResult(true, 3, 2, ""));
        assertThrows(IllegalArgumentException.class, () -> new VerifyResult(false, 3, 0, "x"));
        assertThrows(IllegalArgumentException.class, () -> new VerifyResult(false, 3, 4, " "));
        assertThrows(IllegalArgumentException.class, () -> new VerifyResult(true, -1, 0, ""));
    }

    /** Writes the lines back and verifies them both as a file and as lines; returns the result for lines. */
    private VerifyResult rewriteAndVerify() throws IOException {
        AuditFiles.write(file, lines);
        VerifyResult fromFile = AuditVerifier.verify(file);
        VerifyResult fromLines = AuditVerifier.verify(new ArrayList<>(lines));
        assertEquals(fromLines.describe(), fromFile.describe().replace(file + " ", ""), "file and list verify alike");
        assertEquals(fromFile.ok() ? "" : file.toString(), fromFile.file(), "the file is named");
        return fromLines;
    }
}
