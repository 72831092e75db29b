package dev.vigil.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(120)
class FileJournalTest extends AuditSinkContract {
    private final Map<AuditJournal, Path> files = new HashMap<>();
    private final AtomicInteger names = new AtomicInteger();

    @TempDir
    Path dir;

    @Override
    AuditJournal newJournal(FakeClock clock) {
        Path file = dir.resolve("audit-" + names.incrementAndGet() + ".jsonl");
        AuditJournal journal = AuditJournal.open(file, clock);
        files.put(journal, file);
        return journal;
    }

    @Override
    List<String> written(AuditJournal journal) throws IOException {
        return AuditFiles.rawLines(files.get(journal));
    }

    @Override
    VerifyResult verify(AuditJournal journal) throws IOException {
        return AuditVerifier.verify(files.get(journal));
    }

    @Test
    void reopeningAFile_continuesItsChain() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        List<AuditRecord> records = new ArrayList<>();
        try (AuditJournal journal = AuditJournal.open(file, clock)) {
            for (int i = 1; i <= 3; i++) {
                records.add(journal.append("step", Map.of("n", i)));
            }
        }
        clock.advance(Duration.ofMinutes(5));
        try (AuditJournal journal = AuditJournal.open(file, clock)) {
            assertEquals(3, journal.size());
            records.add(journal.append("step", Map.of("n", 4)));
            records.add(journal.append("step", Map.of("n", 5)));
            assertEquals(5, journal.size());
        }

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), records.stream().map(AuditRecord::seq).toList());
        assertEquals(records.get(2).hash(), records.get(3).prev());
        assertEquals("2024-05-01T12:05:00.123Z", records.get(3).time());
        assertEquals(5, AuditFiles.rawLines(file).size());
        assertEquals("ok: 5 records, chain intact", AuditVerifier.verify(file).describe());
    }

    @Test
    void openingAnEmptyFile_startsAtGenesis() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.jsonl"));
        try (AuditJournal journal = AuditJournal.open(file, clock)) {
            assertEquals(0, journal.size());
            AuditRecord first = journal.append("start", Map.of());
            assertEquals(1, first.seq());
            assertEquals(GENESIS, first.prev());
        }
    }

    @Test
    void afterCommit_aFreshReaderSeesEveryRecordOnDisk() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditJournal journal = AuditJournal.open(file, clock)) {
            AuditRecord gate = journal.append("gate", Map.of("decision", "execute"));
            journal.append("step", Map.of("exit", 0));
            journal.commit();

            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            assertEquals(2, lines.size());
            assertEquals(gate.hash(), AuditFiles.hashOf(lines.get(0)));
            assertEquals(VerifyResult.intact(2), AuditVerifier.verify(file));

            journal.commit(); // nothing new: still fine
            journal.append("verify", Map.of("ok", true));
            journal.commit();
            assertEquals(3, Files.readAllLines(file, StandardCharsets.UTF_8).size());
        }
    }

    @Test
    void openingAJournalWhoseLastLineIsTorn_sealsItUntouched_andContinuesTheChainWithARecordNamingIt() throws IOException {
        Path file = threeRecords();
        String text = Files.readString(file);
        String torn = text.substring(0, text.length() - 20);
        Files.writeString(file, torn);
        assertTrue(AuditVerifier.verify(file).tornTail(), "before reopening, verify reports the torn tail");

        try (AuditJournal journal = AuditJournal.open(file, clock)) {
            assertEquals(Optional.of("torn last line three.jsonl.1:3 (" + (torn.length() - torn.lastIndexOf('\n') - 1)
                    + " bytes, a crash mid-write) left in place; the chain continues at seq 3 with a journal.recovered "
                    + "record naming it"), journal.recovered());
            assertEquals(3, journal.size());
            assertEquals(4, journal.append("step", Map.of("n", 4)).seq());
        }

        assertEquals(torn, Files.readString(dir.resolve("three.jsonl.1")), "the torn file is kept byte for byte");
        List<String> active = AuditFiles.rawLines(file);
        assertTrue(active.get(0).startsWith("{\"seq\":3,"), active.get(0));
        assertTrue(active.get(0).contains("\"type\":\"journal.recovered\""), active.get(0));
        VerifyResult result = AuditVerifier.verify(file);
        assertTrue(result.ok(), result.describe());
        assertEquals("ok: 4 records, chain intact; recovered three.jsonl.1:3 (" + (torn.length() - torn.lastIndexOf('\n') - 1)
                + " bytes) continued by seq 3", result.describe());
    }

    @Test
    void aTornLineThatGotALineBreak_isRecoveredTheSameWay() throws IOException {
        Path file = threeRecords();
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() - 20) + "\n");

        try (AuditJournal journal = AuditJournal.open(file, clock)) {
            assertTrue(journal.recovered().isPresent());
            assertEquals(3, journal.size());
        }
        VerifyResult result = AuditVerifier.verify(file);
        assertTrue(result.ok(), result.describe());
        assertEquals(1, result.recoveries().size());
    }

    @Test
    void aRecoveryRecordThatNamesOtherBytes_isReportedAtTheTornLine() throws IOException {
        Path file = threeRecords();
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() - 20));
        AuditJournal.open(file, clock).close();
        Path sealed = dir.resolve("three.jsonl.1");
        Files.writeString(sealed, Files.readString(sealed).replace("\"n\":3", "\"n\":7"));

        VerifyResult result = AuditVerifier.verify(file);
        assertEquals(sealed.toString(), result.file());
        assertEquals(3, result.firstBrokenLine());
        assertEquals("torn or truncated last line (no line break at the end) inside the journal, and the next record "
                + "(three.jsonl line 1) is a journal.recovered record that names another line or other bytes", result.reason());
    }

    @Test
    void aRecoveryRecordWithNoTornLineBeforeIt_breaksThere() throws IOException {
        Path file = threeRecords();
        List<String> lines = AuditFiles.rawLines(file);
        String recovered = AuditFiles.rehash(lines.get(2).replace("\"type\":\"step\"", "\"type\":\"journal.recovered\""));
        lines.set(2, recovered);
        AuditFiles.write(file, lines);

        assertEquals("broken at " + file + " line 3 (seq 3): journal.recovered record, but no torn line comes before it",
                AuditVerifier.verify(file).describe());
    }

    @Test
    void openingAFileWhoseLastRecordWasEdited_failsNamingTheLine() throws IOException {
        Path file = threeRecords();
        List<String> lines = AuditFiles.rawLines(file);
        lines.set(2, lines.get(2).replace("\"n\":3", "\"n\":30"));
        AuditFiles.write(file, lines);

        AuditException e = assertThrows(AuditException.class, () -> AuditJournal.open(file, clock));
        assertTrue(e.getMessage().startsWith("audit journal " + file + " line 3: hash mismatch"), e.getMessage());
    }

    @Test
    void aFileIsWrittenByOneJournalAtATime() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditJournal first = AuditJournal.open(file, clock)) {
            first.append("a", Map.of());
            AuditException e = assertThrows(AuditException.class, () -> AuditJournal.open(file, clock));
            assertEquals("audit journal " + file + " is already open for writing by another journal", e.getMessage());
        }
        try (AuditJournal again = AuditJournal.open(file, clock)) {
            assertEquals(2, again.append("b", Map.of()).seq());
        }
    }

    @Test
    void anIOFailureOnAppendThrows_andEveryLaterAppendAndCommitThrowsToo() throws IOException {
        assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs Linux /dev/full");
        Path full = Files.createSymbolicLink(dir.resolve("full.jsonl"), Path.of("/dev/full")); // writes fail: ENOSPC
        try (AuditJournal journal = AuditJournal.open(full, clock)) {
            AuditException first = assertThrows(AuditException.class, () -> journal.append("gate", Map.of("d", "x")));
            assertTrue(first.getMessage().startsWith("audit journal " + full + ": could not append record 1 (gate): "),
                    first.getMessage());
            assertInstanceOf(IOException.class, first.getCause());

            AuditException later = assertThrows(AuditException.class, () -> journal.append("gate", Map.of()));
            assertTrue(later.getMessage().contains("failed earlier"), later.getMessage());
            assertThrows(AuditException.class, journal::commit);
            assertEquals(0, journal.size());
        }
    }

    @Test
    void anInterruptedAppender_doesNotCloseTheJournal() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditJournal journal = AuditJournal.open(file, clock)) {
            Thread.currentThread().interrupt();
            try {
                journal.append("step", Map.of("n", 1));
                journal.commit();
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt is left for the caller");
            }
            journal.append("step", Map.of("n", 2));
            journal.commit();
        }
        assertEquals(VerifyResult.intact(2), AuditVerifier.verify(file));
    }

    @Test
    void linesIsOnlyForInMemoryJournals() {
        Path file = dir.resolve("audit.jsonl");
        try (AuditJournal journal = AuditJournal.open(file, clock)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, journal::lines);
            assertEquals("lines() is kept only by an in-memory journal; this one writes to " + file, e.getMessage());
        }
    }

    @Test
    void aJournalThatCannotBeOpened_says_why() {
        AuditException e = assertThrows(AuditException.class, () -> AuditJournal.open(dir, clock));
        assertTrue(e.getMessage().startsWith("cannot open audit journal " + dir), e.getMessage());
        assertFalse(Files.exists(dir.resolve("missing").resolve("x")));
        assertThrows(AuditException.class, () -> AuditJournal.open(dir.resolve("missing").resolve("x"), clock));
    }

    private Path threeRecords() {
        Path file = dir.resolve("three.jsonl");
        try (AuditJournal journal = AuditJournal.open(file, clock)) {
            for (int i = 1; i <= 3; i++) {
                journal.append("step", Map.of("n", i, "target", "db-1"));
            }
        }
        return file;
    }
}
