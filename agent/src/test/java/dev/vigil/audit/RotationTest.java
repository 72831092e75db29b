package dev.vigil.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rotation by size and by time, with the chain carried across files, and tampering with whole files. */
@Timeout(60)
class RotationTest {
    private final FakeClock clock = new FakeClock("2024-05-01T12:00:00Z");

    @TempDir
    Path dir;

    private static AuditOptions rotateAt(long bytes, Duration interval) {
        return new AuditOptions(bytes, interval, Duration.ofMinutes(5), Optional.empty());
    }

    @Test
    void aFileRotatesOnceItReachesTheSize_andEachFileStartsWhereThePreviousEnded() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditJournal journal = AuditJournal.open(file, clock, rotateAt(1000, Duration.ZERO))) {
            for (int i = 1; i <= 30; i++) {
                journal.append("step", Map.of("n", i, "target", "db-1"));
                journal.commit();
            }
        }

        List<Path> files = JournalFiles.all(file);
        assertTrue(files.size() >= 4, "several files: " + files);
        assertEquals(file, files.get(files.size() - 1));
        assertEquals(dir.resolve("audit.jsonl.1"), files.get(0));
        String lastHash = AuditSinkContract.GENESIS;
        long seq = 0;
        for (Path f : files) {
            List<String> lines = AuditFiles.rawLines(f);
            long longest = lines.stream().mapToLong(l -> l.length() + 1).max().orElse(0);
            assertTrue(Files.size(f) < 1000 + longest, f + " exceeds the size by at most one record");
            assertTrue(lines.get(0).contains("\"prev\":\"" + lastHash + "\""), f + " links to the file before");
            for (String line : lines) {
                assertTrue(line.startsWith("{\"seq\":" + ++seq + ","), line);
            }
            lastHash = AuditFiles.hashOf(lines.get(lines.size() - 1));
        }
        assertEquals(30, seq);
        assertEquals("ok: 30 records, chain intact", AuditVerifier.verify(file).describe());
    }

    @Test
    void aFileRotatesAtTheFirstAppendOnceItsIntervalHasPassed() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditJournal journal = AuditJournal.open(file, clock, rotateAt(0, Duration.ofHours(1)))) {
            journal.append("a", Map.of());
            clock.advance(Duration.ofMinutes(59));
            journal.append("b", Map.of());
            assertEquals(List.of(file), JournalFiles.all(file), "not yet");
            clock.advance(Duration.ofMinutes(1));
            journal.append("c", Map.of());
        }
        assertEquals(2, AuditFiles.rawLines(dir.resolve("audit.jsonl.1")).size());
        assertEquals(1, AuditFiles.rawLines(file).size());
        assertEquals("ok: 3 records, chain intact", AuditVerifier.verify(file).describe());
    }

    @Test
    void theIntervalCountsFromTheActiveFilesFirstRecord_evenAcrossARestart() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        AuditOptions hourly = rotateAt(0, Duration.ofHours(1));
        try (AuditJournal journal = AuditJournal.open(file, clock, hourly)) {
            journal.append("a", Map.of());
        }
        clock.advance(Duration.ofMinutes(61));
        try (AuditJournal journal = AuditJournal.open(file, clock, hourly)) {
            journal.append("b", Map.of());
        }
        assertEquals(1, AuditFiles.rawLines(dir.resolve("audit.jsonl.1")).size());
        assertEquals("ok: 2 records, chain intact", AuditVerifier.verify(file).describe());
    }

    @Test
    void reopeningContinuesFromTheLastSealedFile_whenACrashLeftNoActiveFile() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditJournal journal = AuditJournal.open(file, clock, rotateAt(1, Duration.ZERO))) {
            journal.append("a", Map.of());
            journal.append("b", Map.of()); // rotates: audit.jsonl.1 holds a
        }
        Files.move(file, dir.resolve("audit.jsonl.2")); // as if the process died right after sealing it

        try (AuditJournal journal = AuditJournal.open(file, clock, rotateAt(1, Duration.ZERO))) {
            assertEquals(2, journal.size());
            assertEquals(3, journal.append("c", Map.of()).seq());
        }
        assertEquals("ok: 3 records, chain intact", AuditVerifier.verify(file).describe());
    }

    @Test
    void aDeletedSealedFile_breaksAtTheFirstRecordAfterTheGap_namingTheFile() throws IOException {
        Path file = threeFiles();
        Files.delete(dir.resolve("audit.jsonl.2"));

        VerifyResult result = AuditVerifier.verify(file);
        assertEquals("broken at " + file + " line 1 (seq 3): expected seq 3, found 5: records before this line were "
                + "deleted, or records are out of order", result.describe());
    }

    @Test
    void swappedSealedFiles_breakAtTheFirstLineOfTheFirstFile() throws IOException {
        Path file = threeFiles();
        Path one = dir.resolve("audit.jsonl.1");
        Path two = dir.resolve("audit.jsonl.2");
        Path tmp = dir.resolve("tmp");
        Files.move(one, tmp);
        Files.move(two, one);
        Files.move(tmp, two);

        assertEquals("broken at " + one + " line 1 (seq 1): expected seq 1, found 3: records before this line were "
                + "deleted, or records are out of order", AuditVerifier.verify(file).describe());
    }

    @Test
    void aTornLineInASealedFile_isAcceptedOnlyWithItsRecoveryRecord() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditJournal journal = AuditJournal.open(file, clock)) {
            journal.append("a", Map.of());
            journal.append("b", Map.of());
        }
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() - 10));
        try (AuditJournal journal = AuditJournal.open(file, clock, rotateAt(1, Duration.ZERO))) {
            journal.append("c", Map.of());
            journal.append("d", Map.of()); // rotation after recovery: the recovery record is now in a sealed file
        }
        VerifyResult result = AuditVerifier.verify(file);
        assertTrue(result.ok(), result.describe());
        assertEquals(4, result.records());
        assertEquals(List.of("audit.jsonl.1:2 (" + (text.length() - 10 - text.indexOf('\n') - 1) + " bytes) continued by seq 2"),
                result.recoveries());
    }

    @Test
    void aJournalIsLockedAcrossRotations() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditJournal journal = AuditJournal.open(file, clock, rotateAt(1, Duration.ZERO))) {
            journal.append("a", Map.of());
            journal.append("b", Map.of());
            AuditException e = assertThrows(AuditException.class, () -> AuditJournal.open(file, clock));
            assertEquals("audit journal " + file + " is already open for writing by another journal", e.getMessage());
        }
    }

    /** Three files of two records each: audit.jsonl.1 (1, 2), audit.jsonl.2 (3, 4), audit.jsonl (5, 6). */
    private Path threeFiles() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        List<Long> seqs = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            try (AuditJournal journal = AuditJournal.open(file, clock)) {
                seqs.add(journal.append("step", Map.of("f", f)).seq());
                seqs.add(journal.append("step", Map.of("f", f)).seq());
            }
            if (f < 2) {
                Files.move(file, JournalFiles.nextSealed(file));
            }
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seqs);
        assertEquals("ok: 6 records, chain intact", AuditVerifier.verify(file).describe());
        return file;
    }
}
