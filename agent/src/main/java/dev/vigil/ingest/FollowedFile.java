package dev.vigil.ingest;

import dev.vigil.fact.LogRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.InstantSource;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file followed by {@link FileTailer}: its open handle, its identity (device and inode) and the position up to
 * which its lines were queued. The position moves only when the queue takes the lines, so a refused read is simply
 * read again. Not thread-safe: polled by one thread at a time.
 */
final class FollowedFile {
    private static final Logger log = LoggerFactory.getLogger(FollowedFile.class);
    private static final Object NO_IDENTITY = new Object(); // a file system without inodes: only truncation is seen

    /** What one read made of a chunk: the records, how many bytes they used, and whether a cut line goes on. */
    private record Chunk(Decoded lines, int consumed, boolean skipping) {
    }

    private final FileTailer.TailedFile file;
    private final String host;
    private final IngestLimits limits;
    private final IngestQueue queue;
    private final IngestStats stats;
    private final InstantSource clock;
    private final int chunkBytes;
    private final int maxLinesPerOffer;
    private FileChannel channel;
    private Object identity;
    private long position;
    private boolean skippingLongLine;
    private boolean polledBefore;
    private String lastError;

    FollowedFile(FileTailer.TailedFile file, String host, IngestQueue queue, IngestStats stats, IngestLimits limits,
                 InstantSource clock) {
        this.file = file;
        this.host = host;
        this.limits = limits;
        this.queue = queue;
        this.stats = stats;
        this.clock = clock;
        this.chunkBytes = Math.max(64 << 10, limits.maxLogBodyBytes() * 2); // a whole line within the limit fits
        this.maxLinesPerOffer = (int) Math.min(queue.capacity(), limits.maxItemsPerRequest()); // else it never fits
    }

    /** Queues the lines appended since the last poll, following rotation and truncation. Logs a failure once. */
    void poll() {
        try {
            follow();
            if (lastError != null) {
                log.info("tailing {} again", file.path());
                lastError = null;
            }
        } catch (IOException e) {
            String error = e.toString();
            if (!error.equals(lastError)) {
                log.warn("cannot tail {}: {}; reported again only if the error changes", file.path(), error);
                lastError = error;
            }
        }
    }

    void close() {
        try {
            closeChannel();
        } catch (IOException e) {
            log.debug("closing {}: {}", file.path(), e.toString());
        }
    }

    private void follow() throws IOException {
        boolean firstSight = !polledBefore;
        polledBefore = true;
        if (channel == null && !open(firstSight)) {
            return; // not there (yet)
        }
        // renamed away and replaced, or deleted: read the rest of this handle's file, then what is at the path now
        boolean replaced = !identity.equals(identityOf(file.path()));
        if (!replaced && channel.size() < position) {
            position = 0; // truncated in place (copytruncate): the file starts over
            skippingLongLine = false;
        }
        if (!readToEnd(replaced)) {
            return; // the queue is full: read from the same place next poll
        }
        if (replaced) {
            closeChannel(); // read to its end; a deleted file's space is freed
            if (open(false)) {
                readToEnd(false);
            }
        }
    }

    /** Opens the file now at the path; a file there at the first poll is read from its end, a later one from 0. */
    private boolean open(boolean atEnd) throws IOException {
        Object before = identityOf(file.path());
        if (before == null) {
            return false;
        }
        FileChannel opened;
        try {
            opened = FileChannel.open(file.path(), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return false;
        }
        if (!before.equals(identityOf(file.path()))) {
            opened.close(); // replaced while being opened: which file this handle holds is unknown
            return false;
        }
        channel = opened;
        identity = before;
        position = atEnd ? opened.size() : 0;
        skippingLongLine = false;
        return true;
    }

    private void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    private static Object identityOf(Path path) throws IOException {
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return key != null ? key : NO_IDENTITY;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Queues the complete lines from the position to the end of the file; false when the queue refused them. With
     * {@code lastRead} a final line without its newline is taken too: the file will not grow any more.
     */
    private boolean readToEnd(boolean lastRead) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(chunkBytes);
        while (true) {
            buf.clear();
            int n = channel.read(buf, position);
            if (n <= 0) {
                return true;
            }
            Chunk chunk = split(buf.array(), n, lastRead && position + n >= channel.size());
            if (chunk.consumed() == 0) {
                return true; // only the start of a line: wait for its newline
            }
            if (!queue.offer(FileTailer.SOURCE, chunk.lines().items())) {
                return false;
            }
            stats.rejected(FileTailer.SOURCE, chunk.lines()); // counted once taken, so a retried read is not
            position += chunk.consumed();
            skippingLongLine = chunk.skipping();
        }
    }

    private Chunk split(byte[] bytes, int n, boolean atEnd) {
        Decoded.Builder out = Decoded.builder();
        boolean skipping = skippingLongLine;
        int lineStart = 0;
        for (int i = 0; i < n && out.size() < maxLinesPerOffer; i++) {
            if (bytes[i] == '\n') {
                if (!skipping) {
                    line(bytes, lineStart, i - lineStart, out);
                }
                skipping = false;
                lineStart = i + 1;
            }
        }
        int rest = n - lineStart;
        if (out.size() < maxLinesPerOffer && rest > 0) {
            if (skipping) {
                lineStart = n; // the rest of a line already queued cut
            } else if (rest > limits.maxLogBodyBytes() || atEnd) {
                line(bytes, lineStart, rest, out); // too long to wait for its end, or it has no end
                skipping = !atEnd;
                lineStart = n;
            }
        }
        return new Chunk(out.build(), lineStart, skipping);
    }

    private void line(byte[] bytes, int off, int len, Decoded.Builder out) {
        if (len > 0 && bytes[off + len - 1] == '\r') {
            len--;
        }
        if (len == 0) {
            return;
        }
        int kept = Utf8Bytes.cut(bytes, off, len, limits.maxLogBodyBytes());
        String body;
        try {
            body = Utf8Bytes.decodeStrict(bytes, off, kept);
        } catch (CharacterCodingException e) {
            out.reject("invalid_utf8");
            return;
        }
        Map<String, String> attributes = kept < len
                ? Map.of(FileTailer.PATH_ATTRIBUTE, file.path().toString(), LabelCheck.TRUNCATED, "true")
                : Map.of(FileTailer.PATH_ATTRIBUTE, file.path().toString());
        out.add(new LogRecord(file.service(), host, FileTailer.guessSeverity(body), body, attributes, clock.millis()));
    }
}
