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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The append-only, hash-chained audit journal, kept in JSON Lines files or in memory; thread-safe: appends are
 * serialized, and commits from many threads share fsyncs (group commit) without holding up appends.
 *
 * <p>Every record carries the hash of the one before it (see {@link AuditRecord}); {@link AuditVerifier}
 * recomputes the chain. An appended record is handed to the operating system at once; {@link #commit()} makes
 * it durable. The first I/O failure fails the journal for good: that append (or commit) and every later one
 * throws {@link AuditException}. To go on, close it and {@linkplain #open open} the file again, which continues
 * the chain from the last complete record. A file journal holds an exclusive lock on {@code FILE.lock} while open.
 *
 * <p>With {@link AuditOptions} a file journal rotates (the active file is renamed {@code FILE.N} and a new one
 * started, the chain going on across them) and writes signed {@link Checkpoint}s over the Merkle tree of its records.
 * Records of types starting with {@code journal.} are the journal's own and cannot be appended by callers.
 */
public final class AuditJournal implements AuditSink, AutoCloseable {
    /** The type of the record that continues the chain after a torn last line (see package docs). */
    public static final String RECOVERED = "journal.recovered";
    /** The active file's name in the daemon's data directory. */
    public static final String FILE_NAME = "audit.jsonl";
    private static final String RESERVED = "journal.";
    private static final Logger LOG = LoggerFactory.getLogger(AuditJournal.class);

    private final Store store;
    private final InstantSource clock;
    private final AuditOptions options;
    /** Held across an fsync or a rotation; taken before {@link #lock}, never after it. */
    private final Object commitLock = new Object();
    private final Object lock = new Object();

    // Guarded by lock.
    private long nextSeq;
    private String prev;
    private long durable;
    private boolean closed;
    private Exception failure;
    private final MerkleTree.Frontier frontier; // null without a signing key
    private long checkpointed;
    private Instant nextCheckpoint;
    private String recovery;

    private AuditJournal(Store store, InstantSource clock, AuditOptions options, long nextSeq, String prev,
                         MerkleTree.Frontier frontier) {
        this.store = store;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        this.nextSeq = nextSeq;
        this.prev = prev;
        this.durable = nextSeq - 1;
        this.frontier = frontier;
        this.nextCheckpoint = clock.instant().plus(options.checkpointInterval());
    }

    /** Opens a journal file without rotation or checkpoints; see {@link #open(Path, InstantSource, AuditOptions)}. */
    public static AuditJournal open(Path file, InstantSource clock) {
        return open(file, clock, AuditOptions.NONE);
    }

    /**
     * Opens a journal on the default file system, creating its active file if missing. Existing files are appended
     * to: the chain continues from the last record of the last file (seq + 1, prev = its hash). If the last line is
     * torn (a crash mid-write), the file holding it is sealed as it is and the new active file starts with a
     * {@value #RECOVERED} record naming the torn line; see {@link #recovered()}.
     *
     * @throws AuditException if the files cannot be opened or locked, or the last record is not sound (edited, not
     *                        torn); the message names the file and line
     */
    public static AuditJournal open(Path file, InstantSource clock, AuditOptions options) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(options, "options");
        if (Files.isDirectory(file)) {
            throw new AuditException("cannot open audit journal " + file + ": it is a directory");
        }
        FileChannel lockChannel = null;
        RandomAccessFile raf = null;
        try {
            lockChannel = lockExclusively(file);
            Tail tail = Tail.read(file, options.signingKey().isPresent());
            Instant now = clock.instant();
            if (tail.torn != null && tail.torn.file.equals(file)) {
                Files.move(file, JournalFiles.nextSealed(file), StandardCopyOption.ATOMIC_MOVE); // sealed as it is
            }
            boolean created = !Files.exists(file);
            raf = new RandomAccessFile(file.toFile(), "rw");
            if (created) {
                syncDirectoryOf(file);
            }
            raf.seek(raf.length());
            FileStore store = new FileStore(file, raf, lockChannel, raf.length(), tail.activeStart.orElse(now), options);
            AuditJournal journal = new AuditJournal(store, clock, options, tail.lastSeq + 1, tail.lastHash, tail.frontier);
            journal.checkpointed = tail.lastIsCheckpoint ? tail.lastSeq : 0;
            LOG.debug("audit journal {} opened, next seq {}", file, journal.nextSeq);
            if (tail.torn != null) {
                journal.recover(tail.torn);
            }
            return journal;
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable c : new AutoCloseable[] {raf, lockChannel}) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (e instanceof AuditException audit) {
                throw audit;
            }
            throw new AuditException("cannot open audit journal " + file + ": " + e, e);
        }
    }

    /** A journal kept in memory, with the same records and chain as a file journal; for replay and tests. */
    public static AuditJournal inMemory(InstantSource clock) {
        return new AuditJournal(new MemoryStore(), clock, AuditOptions.NONE, 1, Canonical.GENESIS, null);
    }

    @Override
    public AuditRecord append(String type, Map<String, ?> data) {
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("audit record type must not be blank, was "
                    + (type == null ? "null" : "'" + type + "'"));
        }
        if (type.startsWith(RESERVED)) {
            throw new IllegalArgumentException("audit record type '" + type + "' is reserved for the journal itself");
        }
        if (data == null) {
            throw new IllegalArgumentException("audit data for type '" + type + "' must not be null (use Map.of())");
        }
        ObjectNode canonical = Canonical.data(data); // the costly part, outside the lock
        synchronized (lock) {
            ensureUsable();
            Instant now = clock.instant();
            if (!store.rotationDue(now)) {
                checkpointIfDue(now);
                return write(type, canonical);
            }
        }
        synchronized (commitLock) { // a rotation fsyncs and swaps the file: no commit may be forcing it meanwhile
            synchronized (lock) {
                ensureUsable();
                Instant now = clock.instant();
                if (store.rotationDue(now)) {
                    rotate(now);
                }
                checkpointIfDue(now);
                return write(type, canonical);
            }
        }
    }

    /** The sequence number of the last record known to be durable (0 before any). */
    public long durableSeq() {
        synchronized (lock) {
            return durable;
        }
    }

    @Override
    public void commit() {
        synchronized (commitLock) {
            long target;
            synchronized (lock) {
                ensureUsable();
                if (durable >= nextSeq - 1) {
                    return; // an fsync that started after our appends already covered them
                }
                target = nextSeq - 1;
            }
            try {
                store.force();
            } catch (IOException e) {
                synchronized (lock) {
                    failure = e;
                }
                throw new AuditException("audit journal " + store + ": could not make records up to seq " + target
                        + " durable: " + e.getMessage() + "; the journal accepts no further records", e);
            }
            synchronized (lock) {
                durable = Math.max(durable, target);
            }
        }
    }

    /**
     * Writes a signed checkpoint now if there is a signing key and records since the last one; it is appended but
     * not committed.
     *
     * @return the checkpoint written, or empty
     */
    public Optional<Checkpoint> checkpoint() {
        synchronized (lock) {
            ensureUsable();
            return frontier == null || frontier.size() <= checkpointed ? Optional.empty() : Optional.of(writeCheckpoint());
        }
    }

    /**
     * What {@link #open} found and repaired, for the start banner: a torn last line sealed in place and the seq of
     * the {@value #RECOVERED} record that continues the chain; empty when the journal was sound.
     */
    public Optional<String> recovered() {
        synchronized (lock) {
            return Optional.ofNullable(recovery);
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

    /** The active file of a file journal (queries and verification read its files); empty for an in-memory one. */
    public Optional<Path> file() {
        return store instanceof FileStore f ? Optional.of(f.file) : Optional.empty();
    }

    /** How many records the chain holds (the seq of the last one), including those already in the files when opened. */
    public long size() {
        synchronized (lock) {
            return nextSeq - 1;
        }
    }

    /**
     * Writes a last checkpoint if one is due, makes what was appended durable and closes the journal; later appends
     * and commits throw {@link IllegalStateException}. Closing again does nothing.
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
                IOException problem = null;
                if (failure == null) {
                    try {
                        if (frontier != null && frontier.size() > checkpointed) {
                            writeCheckpoint();
                        }
                        if (durable < nextSeq - 1) {
                            store.force();
                            durable = nextSeq - 1;
                        }
                    } catch (AuditException e) {
                        problem = e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
                    } catch (IOException e) {
                        problem = e;
                    }
                }
                closed = true;
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
            return "AuditJournal[" + store + ", size=" + (nextSeq - 1) + (closed ? ", closed" : "")
                    + (failure != null ? ", failed" : "") + "]";
        }
    }

    /** Writes one record; called under {@link #lock} with the journal usable. */
    private AuditRecord write(String type, ObjectNode canonical) {
        long seq = nextSeq;
        String before = prev;
        Instant now = clock.instant();
        String time = Canonical.time(now);
        String body = Canonical.body(seq, time, type, canonical, before);
        String hash = Canonical.hash(body);
        byte[] line = (Canonical.line(body, hash) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            store.append(line, now);
        } catch (IOException e) {
            failure = e;
            throw new AuditException("audit journal " + store + ": could not append record " + seq + " ("
                    + type + "): " + e.getMessage() + "; the journal accepts no further records", e);
        }
        if (frontier != null) {
            frontier.append(MerkleTree.leafHash(line, line.length - 1));
        }
        nextSeq = seq + 1;
        prev = hash;
        return new AuditRecord(seq, time, type, canonical, before, hash);
    }

    private void checkpointIfDue(Instant now) {
        if (frontier != null && frontier.size() > checkpointed && !now.isBefore(nextCheckpoint)) {
            writeCheckpoint();
        }
    }

    private Checkpoint writeCheckpoint() {
        Checkpoint checkpoint = Checkpoint.sign(options.signingKey().orElseThrow(), frontier.size(), frontier.root());
        write(Checkpoint.TYPE, Canonical.data(checkpoint.data()));
        checkpointed = frontier.size(); // the checkpoint record itself needs no checkpoint of its own
        nextCheckpoint = clock.instant().plus(options.checkpointInterval());
        return checkpoint;
    }

    /** Seals the active file; called under both locks with the journal usable. */
    private void rotate(Instant now) {
        try {
            store.force();
            durable = nextSeq - 1;
            store.rotate(now);
        } catch (IOException e) {
            failure = e;
            throw new AuditException("audit journal " + store + ": could not rotate: " + e.getMessage()
                    + "; the journal accepts no further records", e);
        }
    }

    /** Continues the chain after a torn last line with a record that names it, durably, and says so loudly. */
    private void recover(Torn torn) throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("file", torn.sealedName);
        data.put("line", torn.line);
        data.put("bytes", torn.bytes.length);
        data.put("sha256", HexFormat.of().formatHex(MerkleTree.sha256().digest(torn.bytes)));
        synchronized (lock) {
            AuditRecord record = write(RECOVERED, Canonical.data(data));
            store.force();
            durable = record.seq();
            recovery = "torn last line " + torn.sealedName + ":" + torn.line + " (" + torn.bytes.length
                    + " bytes, a crash mid-write) left in place; the chain continues at seq " + record.seq()
                    + " with a " + RECOVERED + " record naming it";
            LOG.warn("audit journal {}: {}", store, recovery);
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

    private static FileChannel lockExclusively(Path file) throws IOException {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock fileLock;
        try {
            fileLock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            fileLock = null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (fileLock == null) {
            channel.close();
            throw new AuditException("audit journal " + file + " is already open for writing by another journal");
        }
        return channel; // the lock is released when the channel closes
    }

    /** A new or renamed file is durable only once its directory entry is: fsync the directory (POSIX only). */
    static void syncDirectoryOf(Path file) throws IOException {
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            return;
        }
        try (FileChannel channel = FileChannel.open(JournalFiles.directoryOf(file), StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** A torn last line found at open: where it is and its exact bytes (with its line break, if it has one). */
    private record Torn(Path file, String sealedName, long line, byte[] bytes) {
    }

    /**
     * What open needs from the existing files: the last sound record, a torn last line after it, the time the active
     * file's first record was written, and (with checkpoints) the Merkle frontier of every record.
     */
    private static final class Tail {
        long lastSeq;
        String lastHash = Canonical.GENESIS;
        boolean lastIsCheckpoint;
        Torn torn;
        Optional<Instant> activeStart = Optional.empty();
        MerkleTree.Frontier frontier;

        private JournalFiles.Line last;
        private JournalFiles.Line tornCandidate;

        /**
         * Reads every file when a frontier is needed, otherwise only from the last two files with lines: enough to
         * find the last record even when the last file holds nothing but a torn line.
         */
        static Tail read(Path active, boolean withFrontier) throws IOException {
            Tail tail = new Tail();
            tail.frontier = withFrontier ? new MerkleTree.Frontier() : null;
            List<Path> files = JournalFiles.all(active);
            int from = 0;
            if (!withFrontier) {
                List<Integer> nonEmpty = new ArrayList<>();
                for (int i = 0; i < files.size(); i++) {
                    if (Files.size(files.get(i)) > 0) {
                        nonEmpty.add(i);
                    }
                }
                from = nonEmpty.size() >= 2 ? nonEmpty.get(nonEmpty.size() - 2) : nonEmpty.isEmpty() ? 0 : nonEmpty.get(0);
            }
            JournalFiles.forEachLine(files.subList(from, files.size()), tail::visit);
            tail.finish(active);
            return tail;
        }

        private boolean visit(JournalFiles.Line line) throws IOException {
            // a line without a break is always a file's last; one with a break after a torn write is excluded too
            if (!line.terminated() || (line.lastInFile() && unreadable(line.bytes()))) {
                tornCandidate = line;
                return true;
            }
            tornCandidate = null; // a torn line followed by records was recovered when those were written
            if (frontier != null) {
                frontier.append(MerkleTree.leafHash(line.bytes(), line.bytes().length));
            }
            last = line;
            return true;
        }


        private void finish(Path active) throws IOException {
            if (tornCandidate != null) {
                JournalFiles.Line t = tornCandidate;
                byte[] bytes = t.terminated() ? JournalFiles.withBreak(t.bytes()) : t.bytes();
                String sealedName = t.file().equals(active) ? JournalFiles.nextSealed(active).getFileName().toString()
                        : t.file().getFileName().toString();
                torn = new Torn(t.file(), sealedName, t.number(), bytes);
            }
            if (last == null) {
                return;
            }
            AuditRecord record = parse(last);
            lastSeq = record.seq();
            lastHash = record.hash();
            lastIsCheckpoint = record.type().equals(Checkpoint.TYPE);
            if (frontier != null && frontier.size() != lastSeq) {
                throw new AuditException("audit journal " + active + ": its files hold " + frontier.size()
                        + " records but the last one has seq " + lastSeq + ", so the chain is broken earlier and "
                        + "checkpoints over it would be wrong; run `vigil audit verify` and repair the journal");
            }
            if (torn == null && last.file().equals(active)) {
                activeStart = firstTime(active);
            }
        }

        private static Optional<Instant> firstTime(Path active) throws IOException {
            Instant[] first = new Instant[1];
            JournalFiles.forEachLine(active, line -> {
                try {
                    first[0] = Instant.parse(Canonical.parse(Canonical.decode(line.bytes(), line.bytes().length)).time());
                } catch (Canonical.BadRecord | CharacterCodingException e) {
                    // the time rotation then counts from now
                }
                return false;
            });
            return Optional.ofNullable(first[0]);
        }

        private static AuditRecord parse(JournalFiles.Line line) {
            String where = "audit journal " + line.file() + " line " + line.number() + ": ";
            try {
                return Canonical.parse(Canonical.decode(line.bytes(), line.bytes().length));
            } catch (CharacterCodingException e) {
                throw new AuditException(where + "not valid UTF-8; repair the file before appending");
            } catch (Canonical.BadRecord e) {
                throw new AuditException(where + e.getMessage() + "; repair the file before appending");
            }
        }

        private static boolean unreadable(byte[] bytes) {
            try {
                Canonical.parse(Canonical.decode(bytes, bytes.length));
                return false;
            } catch (CharacterCodingException e) {
                return true;
            } catch (Canonical.BadRecord e) {
                return e.unreadable();
            }
        }
    }

    /** Where the lines go; called only under the journal's locks. */
    private interface Store {
        void append(byte[] line, Instant now) throws IOException;

        void force() throws IOException;

        boolean rotationDue(Instant now);

        void rotate(Instant now) throws IOException;

        void close() throws IOException;
    }

    private static final class MemoryStore implements Store {
        private final List<String> lines = new ArrayList<>();

        @Override
        public void append(byte[] line, Instant now) {
            lines.add(new String(line, 0, line.length - 1, StandardCharsets.UTF_8));
        }

        @Override
        public void force() {
        }

        @Override
        public boolean rotationDue(Instant now) {
            return false;
        }

        @Override
        public void rotate(Instant now) {
            throw new IllegalStateException("an in-memory journal does not rotate");
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
        private final FileChannel lockChannel;
        private final AuditOptions options;
        private RandomAccessFile raf;
        private long length;
        private Instant started;

        FileStore(Path file, RandomAccessFile raf, FileChannel lockChannel, long length, Instant started,
                  AuditOptions options) {
            this.file = file;
            this.raf = raf;
            this.lockChannel = lockChannel;
            this.length = length;
            this.started = started;
            this.options = options;
        }

        @Override
        public void append(byte[] line, Instant now) throws IOException {
            if (length == 0) {
                started = now; // the time rotation counts from this file's first record
            }
            try {
                raf.write(line);
            } catch (IOException e) {
                try {
                    raf.setLength(length); // take back a partial line so a reopen can continue the chain
                } catch (IOException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
            length += line.length;
        }

        @Override
        public void force() throws IOException {
            raf.getFD().sync();
        }

        @Override
        public boolean rotationDue(Instant now) {
            if (length == 0) {
                return false;
            }
            return (options.rotateBytes() > 0 && length >= options.rotateBytes())
                    || (!options.rotateInterval().isZero() && !now.isBefore(started.plus(options.rotateInterval())));
        }

        /** Renames the (already fsynced) active file to the next sealed name and starts an empty one. */
        @Override
        public void rotate(Instant now) throws IOException {
            raf.close();
            Files.move(file, JournalFiles.nextSealed(file), StandardCopyOption.ATOMIC_MOVE);
            raf = new RandomAccessFile(file.toFile(), "rw");
            syncDirectoryOf(file); // both the new name and the new file
            length = 0;
            started = now;
        }

        @Override
        public void close() throws IOException {
            try {
                raf.close();
            } finally {
                lockChannel.close();
            }
        }

        @Override
        public String toString() {
            return file.toString();
        }
    }
}
