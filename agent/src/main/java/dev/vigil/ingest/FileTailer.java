package dev.vigil.ingest;

import dev.vigil.fact.Severity;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Follows log files like {@code tail -F} and queues one {@link dev.vigil.fact.LogRecord} per line (source
 * {@code file}): a file present at start is read from its end (no backfill), one that appears later from its start.
 * Rotation by rename is followed (the old file is read to its end, then the new one from its start), and so is
 * truncation in place. A line waits for its newline unless it is over the body limit (then it is queued cut, the rest
 * of it skipped). Lines the queue refuses are read again at the next poll, so none is lost or repeated. Files are
 * read on a Vert.x worker, one poll at a time; {@link #start} and {@link #close} may be called from any thread.
 */
public final class FileTailer {
    static final String SOURCE = "file";
    static final String PATH_ATTRIBUTE = "log.file.path";
    private static final Pattern BLANKS = Pattern.compile("\\s+");
    private static final Pattern PUNCTUATION = Pattern.compile("^[\\[(<]+|[\\])>:,|]+$");

    /** A file to follow and the service its lines belong to. */
    public record TailedFile(Path path, String service) {
        public TailedFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(service, "service");
        }
    }

    private final List<FollowedFile> files;
    private final Duration pollInterval;
    private Vertx vertx;
    private Context context;
    private long timerId = -1;
    private boolean polling;

    /** Polls every second, as {@code tail -F} does. {@code host} is the local host's name, given to every record. */
    public FileTailer(List<TailedFile> files, String host, IngestQueue queue, IngestStats stats, IngestLimits limits,
                      InstantSource clock) {
        this(files, host, queue, stats, limits, clock, Duration.ofSeconds(1));
    }

    FileTailer(List<TailedFile> files, String host, IngestQueue queue, IngestStats stats, IngestLimits limits,
               InstantSource clock, Duration pollInterval) {
        if (pollInterval.toMillis() <= 0) {
            throw new IllegalArgumentException("file poll interval must be at least 1ms, was " + pollInterval);
        }
        this.files = files.stream().map(f -> new FollowedFile(f, host, queue, stats, limits, clock)).toList();
        this.pollInterval = pollInterval;
    }

    /** Polls now (fixing where each present file is read from), then every poll interval. */
    public synchronized void start(Vertx vertx) {
        if (this.vertx != null) {
            throw new IllegalStateException("file tailer already started");
        }
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            pollInBackground();
            timerId = vertx.setPeriodic(pollInterval.toMillis(), id -> pollInBackground());
        });
    }

    /** Stops polling and closes the files, after a poll under way has finished. */
    public synchronized Future<Void> close() {
        if (context == null) {
            return Future.succeededFuture();
        }
        Promise<Void> closed = Promise.promise();
        context.runOnContext(v -> {
            vertx.cancelTimer(timerId);
            context.<Void>executeBlocking(() -> {
                files.forEach(FollowedFile::close);
                return null;
            }).onComplete(closed);
        });
        return closed.future();
    }

    /** One pass over every file. Blocking: on a worker thread, never an event loop. */
    void poll() {
        files.forEach(FollowedFile::poll);
    }

    private void pollInBackground() {
        if (polling) {
            return; // a slow disk: skip this tick rather than queue polls up
        }
        polling = true;
        context.<Void>executeBlocking(() -> {
            poll();
            return null;
        }).onComplete(ar -> polling = false);
    }

    /**
     * The level a line names, else INFO. The level is the first word in capitals among the first four that names
     * one ({@code ERROR}, {@code [WARN]}, {@code INFO:}), so "2024-05-01 12:00:00,123 ERROR [main] …" is found
     * without reading prose such as "user alert sent" as a level.
     */
    static Severity guessSeverity(String line) {
        String[] words = BLANKS.split(line.trim(), 5);
        for (int i = 0; i < Math.min(words.length, 4); i++) {
            String word = PUNCTUATION.matcher(words[i]).replaceAll("");
            if (!word.isEmpty() && word.equals(word.toUpperCase(Locale.ROOT))) {
                Severity s = Severity.parse(word);
                if (s != null) {
                    return s;
                }
            }
        }
        return Severity.INFO;
    }
}
