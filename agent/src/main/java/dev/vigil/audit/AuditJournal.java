package dev.vigil.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The append-only, hash-chained audit journal, kept in a JSON Lines file or in memory; thread-safe: appends are
 * serialized, and commits from many threads share fsyncs (group commit) without holding up appends.
 *
 * <p>Every record carries the hash of the one before it (see {@link AuditRecord}); {@link AuditVerifier}
 * recomputes the chain. An appended record is handed to the operating system at once; {@link #commit()} makes
 * it durable. The first I/O failure fails the journal for good: that append (or commit) and every later one
 * throws {@link AuditException}. To go on, close it and {@linkplain #open open} the file again, which continues
 * the chain from the last complete record. A file journal holds an exclusive lock on its file while open.
 */
public final class AuditJournal implements AuditSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditJournal.class);

    private final Store store;
    private final InstantSource clock;
    /** Held across an fsync; taken before {@link #lock}, never after it. */
    private final Object commitLock = new Object();
    private final Object lock = new Object();

    // Guarded by lock.
    private long size;
    private long nextSeq;
    private String prev;
    private long durable;
    private boolean closed;
    private Exception failure;

    private AuditJournal(Store store, InstantSource clock, long size, long nextSeq, String prev) {
        this.store = store;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.size = size;
        this.nextSeq = nextSeq;
        this.prev = prev;
        this.durable = size;
    }

    /**
     * Opens a journal file on the default file system, creating it if missing. An existing file is appended to:
     * its last record is read and checked, and the chain continues from it (seq + 1, prev = its hash).
     *
     * @throws AuditException if the file cannot be opened or locked, or its last line is not a sound record
     *                        (torn by a crash, truncated, or edited); the message names the line
     */
    public static AuditJournal open(Path file, InstantSource clock) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        boolean created = !Files.exists(file);
        RandomAccessFile raf;
        try {
            raf = new RandomAccessFile(file.toFile(), "rw");
        } catch (IOException e) {
            throw new AuditException("cannot open audit journal " + file + ": " + e.getMessage(), e);
        }
        try {
            lockExclusively(raf, file);
            if (created) {
                syncDirectoryOf(file);
            }
            Tail tail = readTail(raf, file);
            raf.seek(tail.length());
            LOG.debug("audit journal {} opened with {} records, next seq {}", file, tail.lines(), tail.nextSeq());
            return new AuditJournal(new FileStore(file, raf, tail.length()), clock, tail.lines(), tail.nextSeq(),
                    tail.prev());
        } catch (IOException | RuntimeException e) {
            try {
                raf.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof AuditException audit) {
                throw audit;
            }
            throw new AuditException("cannot open audit journal " + file + ": " + e, e);
        }
    }

    /** A journal kept in memory, with the same records and chain as a file journal; for replay and tests. */
    public static AuditJournal inMemory(InstantSource clock) {
        return new AuditJournal(new MemoryStore(), clock, 0, 1, Canonical.GENESIS);
    }

    @Override
    public AuditRecord append(String type, Map<String, ?> data) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("audit record type must not be blank, was "
                    + (type == null ? "null" : "'" + type + "'"));
        }
        if (data == null) {
            throw new IllegalArgumentException("audit data for type '" + type + "' must not be null (use Map.of())");
        }
        ObjectNode canonical = Canonical.data(data); // the costly part, outside the lock
        synchronized (lock) {
            ensureUsable();
            long seq = nextSeq;
            String time = Canonical.time(clock.instant());
            String body = Canonical.body(seq, time, type, canonical, prev);
            String hash = Canonical.hash(body);
            try {
                store.append(Canonical.line(body, hash));
            } catch (IOException e) {
                failure = e;
                throw new AuditException("audit journal " + store + ": could not append record " + seq + " ("
                        + type + "): " + e.getMessage() + "; the journal accepts no further records", e);
            }
            AuditRecord record = new AuditRecord(seq, time, type, canonical, prev, hash);
            size++;
            nextSeq = seq + 1;
            prev = hash;
            return record;
        }
    }

    @Override
    public void commit() {
        synchronized (commitLock) {
            long target;
            synchronized (lock) {
                ensureUsable();
                if (durable >= size) {
                    return; // an fsync that started after our appends already covered them
                }
                target = size;
            }
            try {
                store.force();
            } catch (IOException e) {
                synchronized (lock) {
                    failure = e;
                }
                throw new AuditException("audit journal " + store + ": could not make records up to " + target
                        + " durable: " + e.getMessage() + "; the journal accepts no further records", e);
            }
            synchronized (lock) {
                durable = Math.max(durable, target);
            }
        }
    }

    /**
     * The lines written so far, in order, without line breaks; a snapshot.
     *
     * @throws IllegalStateException for a file journal (read the file instead)
     */
    public List<String> lines() {
        if (!(store instanceof MemoryStore memory)) {
            throw new IllegalStateException("lines() is kept only by an in-memory journal; this one writes to " + store);
        }
        synchronized (lock) {
            return List.copyOf(memory.lines);
        }
    }

    /** How many records the journal holds, including those already in the file when it was opened. */
    public long size() {
        synchronized (lock) {
            return size;
        }
    }

    /**
     * Makes what was appended durable and closes the journal; later appends and commits throw
     * {@link IllegalStateException}. Closing again does nothing.
     *
     * @throws AuditException if the last records could not be made durable (the file is closed all the same)
     */
    @Override
    public void close() {
        synchronized (commitLock) {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                IOException problem = null;
                if (failure == null && durable < size) {
                    try {
                        store.force();
                        durable = size;
                    } catch (IOException e) {
                        problem = e;
                    }
                }
                try {
                    store.close();
                } catch (IOException e) {
                    if (problem == null) {
                        problem = e;
                    } else {
                        problem.addSuppressed(e);
                    }
                }
                if (problem != null) {
                    throw new AuditException("audit journal " + store + ": could not close cleanly: "
                            + problem.getMessage(), problem);
                }
            }
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "AuditJournal[" + store + ", size=" + size + (closed ? ", closed" : "")
                    + (failure != null ? ", failed" : "") + "]";
        }
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("audit journal " + store + " is closed");
        }
        if (failure != null) {
            throw new AuditException("audit journal " + store + " failed earlier (" + failure.getMessage()
                    + ") and accepts no further records; reopen it", failure);
        }
    }

    private static void lockExclusively(RandomAccessFile raf, Path file) throws IOException {
        FileLock fileLock;
        try {
            fileLock = raf.getChannel().tryLock();
        } catch (OverlappingFileLockException e) {
            fileLock = null;
        }
        if (fileLock == null) {
            throw new AuditException("audit journal " + file + " is already open for writing by another journal");
        }
        // Released when raf closes.
    }

    /** A new file is durable only once its directory entry is: fsync the directory (POSIX only). */
    private static void syncDirectoryOf(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || System.getProperty("os.name", "").startsWith("Windows")) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private record Tail(long lines, long nextSeq, String prev, long length) {
    }

    /** Counts the lines of an existing file and checks its last one, which the chain continues from. */
    private static Tail readTail(RandomAccessFile raf, Path file) throws IOException {
        long length = raf.length(); // read no further: a device such as /dev/full reads as endless zeros
        byte[] buffer = new byte[1 << 16];
        long lines = 0;
        long lastBreak = -1;
        long breakBefore = -1;
        raf.seek(0);
        for (long at = 0; at < length; ) {
            int n = raf.read(buffer, 0, (int) Math.min(buffer.length, length - at));
            if (n <= 0) {
                throw new AuditException("audit journal " + file + " shrank while being opened, at byte " + at);
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    lines++;
                    breakBefore = lastBreak;
                    lastBreak = at + i;
                }
            }
            at += n;
        }
        if (length == 0) {
            return new Tail(0, 1, Canonical.GENESIS, 0);
        }
        if (lastBreak != length - 1) {
            throw new AuditException("audit journal " + file + " line " + (lines + 1)
                    + ": torn or truncated last line (no line break at the end); repair the file before appending");
        }
        long start = breakBefore + 1;
        long lastLength = lastBreak - start;
        if (lastLength > Integer.MAX_VALUE - 8) {
            throw new AuditException("audit journal " + file + " line " + lines + ": line too long (" + lastLength
                    + " bytes); repair the file before appending");
        }
        byte[] bytes = new byte[(int) lastLength];
        raf.seek(start);
        raf.readFully(bytes);
        AuditRecord last;
        try {
            last = Canonical.parse(Canonical.decode(bytes, bytes.length));
        } catch (CharacterCodingException e) {
            throw new AuditException("audit journal " + file + " line " + lines
                    + ": torn or truncated last line: not valid UTF-8; repair the file before appending");
        } catch (Canonical.BadRecord e) {
            throw new AuditException("audit journal " + file + " line " + lines + ": "
                    + (e.unreadable() ? "torn or truncated last line: " : "") + e.getMessage()
                    + "; repair the file before appending");
        }
        if (last.seq() != lines) {
            LOG.warn("audit journal {}: the last record has seq {} but the file has {} lines; "
                    + "the chain is broken earlier, run `vigil audit verify`", file, last.seq(), lines);
        }
        return new Tail(lines, last.seq() + 1, last.hash(), length);
    }

    /** Where the lines go; called only under the journal's locks. */
    private interface Store {
        void append(String line) throws IOException;

        void force() throws IOException;

        void close() throws IOException;
    }

    private static final class MemoryStore implements Store {
        private final List<String> lines = new ArrayList<>();

        @Override
        public void append(String line) {
            lines.add(line);
        }

        @Override
        public void force() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return "(in memory)";
        }
    }

    /**
     * Writes through a {@link RandomAccessFile}, whose reads, writes and syncs are not interruptible: an
     * interrupted pipeline thread must not close the journal under everyone, as it would a {@code FileChannel}.
     */
    private static final class FileStore implements Store {
        private final Path file;
        private final RandomAccessFile raf;
        private long length;

        FileStore(Path file, RandomAccessFile raf, long length) {
            this.file = file;
            this.raf = raf;
            this.length = length;
        }

        @Override
        public void append(String line) throws IOException {
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            try {
                raf.write(bytes);
            } catch (IOException e) {
                try {
                    raf.setLength(length); // take back a partial line so a reopen can continue the chain
                } catch (IOException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
            length += bytes.length;
        }

        @Override
        public void force() throws IOException {
            raf.getFD().sync();
        }

        @Override
        public void close() throws IOException {
            raf.close();
        }

        @Override
        public String toString() {
            return file.toString();
        }
    }
}
