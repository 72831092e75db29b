package dev.vigil.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading records back from a journal's files, across rotation, while it is written. */
@Timeout(60)
class JournalQueryTest {
    private final FakeClock clock = new FakeClock("2026-05-01T12:00:00Z");

    @TempDir
    Path dir;

    /** 60 records, one a minute, every third a decision; files rotate every ~1500 bytes. */
    private Path journalOf60(AuditJournal[] keepOpen) {
        Path file = dir.resolve("audit.jsonl");
        AuditJournal journal = AuditJournal.open(file, clock, new AuditOptions(1500, Duration.ZERO, Duration.ofMinutes(5), Optional.empty()));
        for (int i = 1; i <= 60; i++) {
            journal.append(i % 3 == 0 ? "decision" : "facts", Map.of("n", i, "signature", i % 2 == 0 ? "disk-full" : "crashloop"));
            clock.advance(Duration.ofMinutes(1));
        }
        journal.commit();
        if (keepOpen == null) {
            journal.close();
        } else {
            keepOpen[0] = journal;
        }
        return file;
    }

    private static List<Long> seqs(JournalQuery.Page page) {
        return page.records().stream().map(AuditRecord::seq).toList();
    }

    @Test
    void forwardReadsInChainOrderAcrossRotatedFiles_andPagesByTheLastSeq() throws IOException {
        Path file = journalOf60(null);
        assertTrue(JournalFiles.sealed(file).size() >= 3, "the journal rotated: " + JournalFiles.sealed(file));
        JournalQuery q = new JournalQuery(file);

        JournalQuery.Page first = q.forward(JournalQuery.Window.ALL, null, r -> true, 25);
        assertEquals(25, first.records().size());
        assertEquals(1, first.records().get(0).seq());
        assertEquals(Optional.of(25L), first.next());
        JournalQuery.Page rest = q.forward(JournalQuery.Window.ALL.after(25), null, r -> true, 100);
        assertEquals(35, rest.records().size());
        assertEquals(26, rest.records().get(0).seq());
        assertFalse(rest.more());
        assertEquals(Optional.empty(), rest.next());
    }

    @Test
    void newestFirstReturnsTheLatestMatchesAcrossFiles_andTheCursorGoesFurtherBack() throws IOException {
        JournalQuery q = new JournalQuery(journalOf60(null));

        JournalQuery.Page page = q.newestFirst(JournalQuery.Window.ALL, "decision", r -> true, 4);
        assertEquals(List.of(60L, 57L, 54L, 51L), seqs(page));
        assertTrue(page.more());
        JournalQuery.Page older = q.newestFirst(JournalQuery.Window.ALL.before(page.next().orElseThrow()), "decision",
                r -> r.data().path("signature").asText().equals("disk-full"), 100);
        assertEquals(List.of(48L, 42L, 36L, 30L, 24L, 18L, 12L, 6L), seqs(older));
        assertFalse(older.more());
    }

    @Test
    void aTimeWindowKeepsOnlyTheRecordsWrittenInIt() throws IOException {
        JournalQuery q = new JournalQuery(journalOf60(null));
        // record n was written at 12:00 + (n - 1) minutes
        JournalQuery.Window tenToTwenty = JournalQuery.Window.ALL.between(Instant.parse("2026-05-01T12:09:00Z"),
                Instant.parse("2026-05-01T12:19:00Z"));

        assertEquals(List.of(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L),
                seqs(q.forward(tenToTwenty, null, r -> true, 100)));
        assertEquals(List.of(18L, 15L, 12L), seqs(q.newestFirst(tenToTwenty, "decision", r -> true, 100)));
    }

    @Test
    void followReadsOnlyWhatWasAppendedSince_evenAfterTheFileRotated() throws IOException {
        AuditJournal[] open = new AuditJournal[1];
        Path file = journalOf60(open);
        JournalQuery q = new JournalQuery(file);
        List<Long> seen = new ArrayList<>();

        JournalQuery.Cursor at = q.follow(JournalQuery.Cursor.START, r -> seen.add(r.seq()));
        assertEquals(60, seen.size());
        assertEquals(60, at.lastSeq());
        for (int i = 0; i < 40; i++) { // enough to seal the active file at least once
            open[0].append("facts", Map.of("n", 61 + i));
        }
        open[0].commit();
        at = q.follow(at, r -> seen.add(r.seq()));
        open[0].close();

        assertEquals(100, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i + 1, seen.get(i), "each record once, in order");
        }
        assertEquals(100, at.lastSeq());
        assertEquals(0, q.follow(at, r -> seen.add(r.seq())).lastSeq() - 100, "nothing new");
    }

    @Test
    void anEditedLineIsSkippedAndCounted_andALineStillBeingWrittenIsNotRead() throws IOException {
        Path file = dir.resolve("audit.jsonl");
        try (AuditJournal journal = AuditJournal.open(file, clock)) {
            for (int i = 1; i <= 5; i++) {
                journal.append("decision", Map.of("n", i));
            }
        }
        String text = Files.readString(file).replace("{\"n\":3}", "{\"n\":33}");
        Files.writeString(file, text);
        Files.writeString(file, "{\"seq\":6,\"time\":\"2026-05-01T12:", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        JournalQuery.Page page = new JournalQuery(file).forward(JournalQuery.Window.ALL, "decision", r -> true, 100);

        assertEquals(List.of(1L, 2L, 4L, 5L), seqs(page));
        assertEquals(1, page.unreadable());
    }

    @Test
    void aLimitBelowOneIsRefusedWithTheValue() {
        JournalQuery q = new JournalQuery(dir.resolve("audit.jsonl"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> q.forward(JournalQuery.Window.ALL, null, r -> true, 0));
        assertEquals("limit must be >= 1, was 0", e.getMessage());
    }

    @Test
    void aJournalWithoutFilesHasNoRecords() throws IOException {
        JournalQuery q = new JournalQuery(dir.resolve("audit.jsonl"));
        assertEquals(List.of(), q.newestFirst(JournalQuery.Window.ALL, null, r -> true, 10).records());
        assertEquals(JournalQuery.Cursor.START, q.follow(JournalQuery.Cursor.START, r -> { }));
    }
}
