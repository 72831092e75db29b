package dev.vigil.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(120)
class InMemoryJournalTest extends AuditSinkContract {

    @Override
    AuditJournal newJournal(FakeClock clock) {
        return AuditJournal.inMemory(clock);
    }

    @Override
    List<String> written(AuditJournal journal) {
        return journal.lines();
    }

    @Override
    VerifyResult verify(AuditJournal journal) {
        return AuditVerifier.verify(journal.lines());
    }

    @Test
    void linesIsASnapshot_andStillReadableAfterClose() {
        AuditJournal journal = AuditJournal.inMemory(clock);
        journal.append("a", Map.of());
        List<String> before = journal.lines();
        journal.append("b", Map.of());
        journal.close();

        assertEquals(1, before.size());
        assertEquals(2, journal.lines().size());
        assertThrows(UnsupportedOperationException.class, () -> before.add("forged"));
    }

    @Test
    void anInMemoryJournalAndAFileJournalWriteTheSameLines(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditJournal memory = AuditJournal.inMemory(clock); AuditJournal disk = AuditJournal.open(file, clock)) {
            for (AuditJournal journal : List.of(memory, disk)) {
                journal.append("diagnosis", Map.of("signature", "disk-full", "strength", 0.75));
                journal.append("gate", Map.of("decision", "approve"));
            }
            disk.commit();
            assertEquals(memory.lines(), AuditFiles.rawLines(file));
        }
    }
}
