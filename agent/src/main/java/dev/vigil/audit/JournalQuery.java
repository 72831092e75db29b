package dev.vigil.audit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reads records back from a journal's files while it is being written: forwards from a seq, newest first, or as a
 * cursor that follows the journal. Thread-safe; each call reads the files afresh.
 *
 * <p>Implementation note. Nothing is kept of the records themselves: the only state is an index of where each file
 * starts (its first record's seq and time), one entry per file, read from the file's first line and kept for sealed
 * files (they never change). With it, a query skips every file that cannot hold a record it asks for (by seq, and by
 * time, since files are written in time order), so a question about the last hour reads the active file and perhaps
 * one sealed file, not the whole history. Each line returned is checked on its own as {@code vigil audit verify}
 * does (canonical form and hash); a line that fails is skipped and counted, never returned: verify names it. A last
 * line still being written (no line break yet) is not read. Time filters assume the records' times do not go back
 * across files (the journal stamps them with the wall clock; a clock stepped back can hide a few records from a time
 * filter at the step).
 */
public final class JournalQuery {
    private final Path active;
    /** Where each sealed file starts, by its name and size (a sealed file never changes; the key guards against a reused name). */
    private final Map<String, Start> sealedStarts = new ConcurrentHashMap<>();

    /** A query over the journal whose active file is {@code active} ({@code DATA_DIR/audit.jsonl}). */
    public JournalQuery(Path active) {
        this.active = Objects.requireNonNull(active, "active");
    }

    /** Which records a query may return: {@code after < seq < before} and {@code since <= time <= until}. Immutable. */
    public record Window(long after, long before, Instant since, Instant until) {
        public static final Window ALL = new Window(0, Long.MAX_VALUE, Instant.MIN, Instant.MAX);

        public Window {
            Objects.requireNonNull(since, "since");
            Objects.requireNonNull(until, "until");
        }

        public Window after(long seq) {
            return new Window(seq, before, since, until);
        }

        public Window before(long seq) {
            return new Window(after, seq, since, until);
        }

        public Window between(Instant from, Instant to) {
            return new Window(after, before, from, to);
        }

        /** Whether {@code r} is in the window. */
        public boolean holds(AuditRecord r) {
            if (r.seq() <= after || r.seq() >= before) {
                return false;
            }
            Instant t = Instant.parse(r.time());
            return !t.isBefore(since) && !t.isAfter(until);
        }
    }

    /**
     * One page of records.
     *
     * @param records    at most the limit asked for, in the order asked for
     * @param more       whether more records match beyond this page (ask again with the last seq as the cursor)
     * @param unreadable lines skipped because they are not sound records on their own (run verify)
     */
    public record Page(List<AuditRecord> records, boolean more, long unreadable) {
        public Page {
            records = List.copyOf(records);
        }

        /** The cursor for the next page: the last record's seq; empty when there is no more. */
        public Optional<Long> next() {
            return more && !records.isEmpty() ? Optional.of(records.get(records.size() - 1).seq()) : Optional.empty();
        }
    }

    /** Where a {@link #follow} stopped: the file by the seq it starts with, and the byte after the last line read. */
    public record Cursor(long fileStartSeq, long offset, long lastSeq) {
        public static final Cursor START = new Cursor(0, 0, 0);
    }

    /**
     * Matching records in the window in chain order (oldest first), at most {@code limit}.
     *
     * @param type  the record type wanted, or null for any (checked before the line is parsed)
     * @param match further condition on a record
     */
    public Page forward(Window window, String type, Predicate<AuditRecord> match, int limit) throws IOException {
        requireLimit(limit);
        List<AuditRecord> out = new ArrayList<>();
        long unreadable = scan(window, type, r -> {
            if (match.test(r)) {
                out.add(r);
            }
            return out.size() <= limit;
        });
        boolean more = out.size() > limit;
        return new Page(more ? out.subList(0, limit) : out, more, unreadable);
    }

    /**
     * Hands the records in the window to {@code visitor} in chain order until it returns false; returns how many
     * unreadable lines were skipped.
     *
     * @param type the record type wanted, or null for any (checked before the line is parsed)
     */
    public long scan(Window window, String type, Predicate<AuditRecord> visitor) throws IOException {
        List<Start> files = starts();
        long[] unreadable = {0};
        boolean[] done = {false};
        for (int i = 0; i < files.size() && !done[0]; i++) {
            Start f = files.get(i);
            if (f.seq >= window.before() || f.time.isAfter(window.until())) {
                break;
            }
            Start next = i + 1 < files.size() ? files.get(i + 1) : null;
            if (next != null && (next.seq - 1 <= window.after() || next.time.isBefore(window.since()))) {
                continue; // every record of this file comes before the window
            }
            read(f.file, 0, type, (r, end) -> {
                if (r.seq() >= window.before() || Instant.parse(r.time()).isAfter(window.until())) {
                    done[0] = true;
                } else if (window.holds(r) && !visitor.test(r)) {
                    done[0] = true;
                }
                return !done[0];
            }, unreadable);
        }
        return unreadable[0];
    }

    /** Matching records in the window, newest first, at most {@code limit}; see {@link #forward}. */
    public Page newestFirst(Window window, String type, Predicate<AuditRecord> match, int limit) throws IOException {
        requireLimit(limit);
        List<Start> files = starts();
        List<AuditRecord> out = new ArrayList<>();
        long[] unreadable = {0};
        for (int i = files.size() - 1; i >= 0 && out.size() <= limit; i--) {
            Start f = files.get(i);
            Start next = i + 1 < files.size() ? files.get(i + 1) : null;
            if (f.seq >= window.before() || f.time.isAfter(window.until())) {
                continue; // every record of this file comes after the window
            }
            if (next != null && (next.seq - 1 <= window.after() || next.time.isBefore(window.since()))) {
                break; // this file and every older one come before the window
            }
            // the newest matches of this file, no more than the page still needs
            int room = limit + 1 - out.size();
            Deque<AuditRecord> newest = new ArrayDeque<>(Math.min(room, 1024));
            read(f.file, 0, type, (r, end) -> {
                if (r.seq() >= window.before()) {
                    return false;
                }
                if (window.holds(r) && match.test(r)) {
                    if (newest.size() == room) {
                        newest.removeFirst();
                    }
                    newest.addLast(r);
                }
                return true;
            }, unreadable);
            newest.descendingIterator().forEachRemaining(out::add);
        }
        boolean more = out.size() > limit;
        return new Page(more ? out.subList(0, limit) : out, more, unreadable[0]);
    }

    /**
     * Hands every sound record after {@code from} to {@code sink}, oldest first, and returns where it stopped; call
     * again with the result to read only what was appended since. Survives rotation (the cursor names its file by the
     * seq it starts with, which a sealed file keeps).
     */
    public Cursor follow(Cursor from, Consumer<AuditRecord> sink) throws IOException {
        List<Start> files = starts();
        Cursor at = from;
        long[] unreadable = {0};
        for (int i = 0; i < files.size(); i++) {
            Start f = files.get(i);
            Start next = i + 1 < files.size() ? files.get(i + 1) : null;
            if (next != null && next.seq - 1 <= at.lastSeq()) {
                continue;
            }
            long offset = f.seq == at.fileStartSeq() ? at.offset() : 0;
            long[] last = {at.lastSeq()};
            long[] end = {offset};
            read(f.file, offset, null, (r, lineEnd) -> {
                end[0] = lineEnd;
                if (r.seq() > last[0]) {
                    sink.accept(r);
                    last[0] = r.seq();
                }
                return true;
            }, unreadable);
            at = new Cursor(f.seq, end[0], last[0]);
        }
        return at;
    }

    /** What {@link #read} hands over: a sound record and the offset just past its line break; false stops. */
    private interface RecordVisitor {
        boolean visit(AuditRecord record, long end) throws IOException;
    }

    /** Reads the complete lines of {@code file} from {@code offset}; lines not of {@code type} are not parsed. */
    private static void read(Path file, long offset, String type, RecordVisitor visitor, long[] unreadable) throws IOException {
        String marker = type == null ? null : ",\"type\":\"" + type + "\",";
        long length;
        try {
            length = Files.size(file);
        } catch (NoSuchFileException e) {
            return; // rotated away meanwhile: its records are in the sealed file the next query sees
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.skipNBytes(Math.min(offset, length));
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] chunk = new byte[1 << 16];
            long position = offset;
            for (int n; position < length && (n = in.read(chunk, 0, (int) Math.min(chunk.length, length - position))) > 0; ) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] != '\n') {
                        continue;
                    }
                    line.write(chunk, start, i - start);
                    start = i + 1;
                    byte[] bytes = line.toByteArray();
                    line.reset();
                    if (!visitLine(bytes, position + i + 1, marker, type, visitor, unreadable)) {
                        return;
                    }
                }
                line.write(chunk, start, n - start);
                position += n;
            }
        } catch (NoSuchFileException e) {
            // rotated away between the size and the open; the next query reads it under its sealed name
        }
    }

    /** Parses one complete line and hands it over if sound and of the type; false when the visitor stops. */
    private static boolean visitLine(byte[] bytes, long end, String marker, String type, RecordVisitor visitor,
                                     long[] unreadable) throws IOException {
        String text;
        try {
            text = Canonical.decode(bytes, bytes.length);
        } catch (CharacterCodingException e) {
            unreadable[0]++;
            return true;
        }
        if (marker != null && !text.contains(marker)) {
            return true;
        }
        AuditRecord r;
        try {
            r = Canonical.parse(text);
        } catch (Canonical.BadRecord e) {
            unreadable[0]++;
            return true;
        }
        if (type != null && !r.type().equals(type)) {
            return true; // the marker was inside the data
        }
        return visitor.visit(r, end);
    }

    /** Where each file of the journal starts, in chain order; empty files and files without a sound first line are left out. */
    private List<Start> starts() throws IOException {
        List<Start> out = new ArrayList<>();
        List<Path> sealed = JournalFiles.sealed(active);
        for (Path file : sealed) {
            String key;
            try {
                key = file.getFileName() + "|" + Files.size(file);
            } catch (NoSuchFileException e) {
                continue;
            }
            Start s = sealedStarts.get(key);
            if (s == null) {
                s = start(file);
                if (s != null) {
                    sealedStarts.put(key, s);
                }
            }
            if (s != null) {
                out.add(s);
            }
        }
        Start a = start(active);
        if (a != null) {
            out.add(a);
        }
        return out;
    }

    private static Start start(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 14)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b; (b = in.read()) >= 0; ) {
                if (b == '\n') {
                    AuditRecord r = Canonical.parse(Canonical.decode(line.toByteArray(), line.size()));
                    return new Start(file, r.seq(), Instant.parse(r.time()));
                }
                line.write(b);
            }
            return null;
        } catch (NoSuchFileException | CharacterCodingException | Canonical.BadRecord e) {
            return null;
        }
    }

    private static void requireLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
    }

    /** A file and its first record's seq and time. */
    private record Start(Path file, long seq, Instant time) {
    }

    @Override
    public String toString() {
        return "JournalQuery[" + active + "]";
    }
}
