package dev.vigil.ingest;

import dev.vigil.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.fact.LogRecord;
import dev.vigil.fact.Severity;
import dev.vigil.fact.Telemetry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTailerTest {
    private static final long NOW = 1_714_564_800_000L;

    @TempDir
    Path dir;

    private final IngestStats stats = new IngestStats();
    private IngestQueue queue = new IngestQueue(10_000, stats);

    @Test
    void aFilePresentAtStartIsFollowedFromItsEnd() throws IOException {
        Path log = write("app.log", "old line, not backfilled\n");
        FileTailer tailer = tailer(log);
        tailer.poll();

        append(log, "2024-05-01 12:00:00,123 ERROR [main] c.e.Pool - connection refused\nsecond line\n");
        tailer.poll();

        assertEquals(List.of(
                new LogRecord("app", "web-1", Severity.ERROR, "2024-05-01 12:00:00,123 ERROR [main] c.e.Pool - connection refused",
                        Map.of("log.file.path", log.toString()), NOW),
                new LogRecord("app", "web-1", Severity.INFO, "second line", Map.of("log.file.path", log.toString()), NOW)),
                drain());
    }

    @Test
    void renameRotationIsFollowedWithoutLosingOrRepeatingLines() throws IOException {
        Path log = write("app.log", "");
        FileTailer tailer = tailer(log);
        tailer.poll();
        append(log, "one\ntwo\n");
        tailer.poll();

        append(log, "three\n");
        Files.move(log, dir.resolve("app.log.1"));
        append(dir.resolve("app.log.1"), "four, written before the writer reopened\nfive without newline");
        write("app.log", "six\n");
        tailer.poll();
        append(log, "seven\n");
        tailer.poll();
        tailer.poll();

        assertEquals(List.of("one", "two", "three", "four, written before the writer reopened", "five without newline",
                "six", "seven"), bodies(drain()));
    }

    @Test
    void aDeletedFileIsReadToItsEndAndOneCreatedLaterReadFromItsStart() throws IOException {
        Path log = write("app.log", "");
        FileTailer tailer = tailer(log);
        tailer.poll();
        append(log, "last words\n");
        Files.delete(log);
        tailer.poll();
        tailer.poll();

        write("app.log", "reborn\n");
        tailer.poll();

        assertEquals(List.of("last words", "reborn"), bodies(drain()));
    }

    @Test
    void truncationInPlaceStartsOverFromTheBeginning() throws IOException {
        Path log = write("app.log", "");
        FileTailer tailer = tailer(log);
        tailer.poll();
        append(log, "before the copy\nand another\n");
        tailer.poll();

        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0); // logrotate's copytruncate
        }
        append(log, "after\n");
        tailer.poll();
        tailer.poll();

        assertEquals(List.of("before the copy", "and another", "after"), bodies(drain()));
    }

    @Test
    void aPartialLineWaitsForItsNewline() throws IOException {
        Path log = write("app.log", "");
        FileTailer tailer = tailer(log);
        tailer.poll();

        append(log, "WARN half");
        tailer.poll();
        assertEquals(List.of(), drain());

        append(log, " and the rest\r\n");
        tailer.poll();
        List<LogRecord> records = drain();
        assertEquals(List.of("WARN half and the rest"), bodies(records));
        assertEquals(Severity.WARN, records.get(0).severity());
    }

    @Test
    void aLineOverTheLimitIsQueuedCutAndItsRestSkipped() throws IOException {
        IngestLimits tenBytes = new IngestLimits(1 << 20, 1 << 20, 64, 256, 4096, 10, 1000);
        Path log = write("app.log", "");
        FileTailer tailer = new FileTailer(List.of(new FileTailer.TailedFile(log, "app")), "web-1", queue, stats, tenBytes,
                InstantSource.fixed(Instant.ofEpochMilli(NOW)));
        tailer.poll();

        append(log, "0123456789".repeat(7_000)); // longer than a read, still no newline
        tailer.poll();
        append(log, "tail of the long line\nnext\nééééééé\n");
        tailer.poll();

        List<LogRecord> records = drain();
        assertEquals(List.of("0123456789", "next", "ééééé"), bodies(records));
        assertEquals("true", records.get(0).attributes().get("vigil.truncated"));
        assertEquals(null, records.get(1).attributes().get("vigil.truncated"));
        assertEquals("true", records.get(2).attributes().get("vigil.truncated"), "cut on a character boundary");
    }

    @Test
    void linesTheQueueRefusesAreReadAgainAtTheNextPoll() throws IOException {
        queue = new IngestQueue(3, stats);
        Path log = write("app.log", "");
        FileTailer tailer = tailer(log);
        tailer.poll();
        queue.offer("other", Collections.nCopies(3, new LogRecord("x", "h", Severity.INFO, "filler", Map.of(), 0)));

        append(log, "a\nb\nc\nd\ne\n");
        tailer.poll();
        assertEquals(3, queue.depth(), "nothing fitted");
        List<LogRecord> got = new ArrayList<>(drain());
        for (int i = 0; i < 3; i++) {
            tailer.poll();
            got.addAll(drain());
        }

        assertEquals(List.of("a", "b", "c", "d", "e"), bodies(got), "in order, none lost, none twice");
        assertEquals(5, stats.accepted("file"));
    }

    @Test
    void aFileThatAppearsLaterIsReadFromItsStart() throws IOException {
        Path log = dir.resolve("later.log");
        FileTailer tailer = tailer(log);
        tailer.poll();

        write("later.log", "first\n");
        tailer.poll();

        assertEquals(List.of("first"), bodies(drain()));
    }

    @Test
    void invalidUtf8RefusesItsLineOnly() throws IOException {
        Path log = write("app.log", "");
        FileTailer tailer = tailer(log);
        tailer.poll();

        Files.write(log, new byte[] {'o', 'k', '\n', (byte) 0xC3, '(', '\n', 'f', 'i', 'n', 'e', '\n'}, StandardOpenOption.APPEND);
        tailer.poll();

        assertEquals(List.of("ok", "fine"), bodies(drain()));
        assertEquals(1, stats.rejected("file", "invalid_utf8"));
    }

    @Test
    void theLevelIsTheFirstCapitalisedLevelWordAmongTheFirstFour() {
        assertEquals(Severity.ERROR, FileTailer.guessSeverity("ERROR something broke"));
        assertEquals(Severity.WARN, FileTailer.guessSeverity("[WARN] disk at 91%"));
        assertEquals(Severity.FATAL, FileTailer.guessSeverity("2024-05-01 12:00:00 CRITICAL: out of memory"));
        assertEquals(Severity.DEBUG, FileTailer.guessSeverity("12:00:00.001 [main] DEBUG c.e.App - x"));
        assertEquals(Severity.INFO, FileTailer.guessSeverity("user alert sent to the error queue"));
        assertEquals(Severity.INFO, FileTailer.guessSeverity("a b c d ERROR too far in"));
    }

    @Test
    void startedOnVertxItPollsOnItsOwnFromTheEndOfTheFile() throws Exception {
        Path log = write("app.log", "before\n");
        Vertx vertx = Vertx.vertx();
        FileTailer tailer = tailer(log);
        List<Telemetry> got = new CopyOnWriteArrayList<>();
        int[] appended = {0};
        try {
            tailer.start(vertx);
            // keep appending numbered lines until some come through: those written before the first poll are
            // (rightly) not backfilled, every later one is
            Await.until(vertx, Duration.ofSeconds(5), "appended lines", () -> {
                append(log, "line " + appended[0]++ + "\n");
                queue.drain(got::add, Long.MAX_VALUE);
                return got.size() >= 3;
            });
        } finally {
            tailer.close().await(5, TimeUnit.SECONDS);
            vertx.close().await(5, TimeUnit.SECONDS);
        }

        List<String> bodies = got.stream().map(t -> ((LogRecord) t).body()).toList();
        int first = Integer.parseInt(bodies.get(0).substring("line ".length()));
        for (int i = 0; i < bodies.size(); i++) {
            assertEquals("line " + (first + i), bodies.get(i), "consecutive, from the first poll on: " + bodies);
        }
    }

    private FileTailer tailer(Path log) {
        return new FileTailer(List.of(new FileTailer.TailedFile(log, "app")), "web-1", queue, stats,
                IngestLimits.DEFAULTS, InstantSource.fixed(Instant.ofEpochMilli(NOW)), Duration.ofMillis(20));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<LogRecord> drain() {
        List<LogRecord> out = new ArrayList<>();
        queue.drain(t -> {
            if (t instanceof LogRecord r && !r.body().equals("filler")) {
                out.add(r);
            }
        }, Long.MAX_VALUE);
        return out;
    }

    private static List<String> bodies(List<LogRecord> records) {
        return records.stream().map(LogRecord::body).toList();
    }
}
