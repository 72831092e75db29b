package dev.vigil.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures decision latency: the time from sending the observation that completes a known failure pattern to the
 * moment the decision on it can be read from the audit journal.
 *
 * <p>Each trigger is one remote_write request for a fresh host {@code bench-trigger-N} holding everything disk-full
 * needs: a filesystem's size, and its free space at 1 % both 90 s ago and now (so "under 2 % free for 60 s" holds
 * the moment it arrives). The request leaves at a known time; a thread tails the journal file every millisecond for
 * the {@code decision} record naming that host. The latency ends when that record is durable: for a daemon in this
 * process, when the journal's fsync has covered the record's sequence number (checked each millisecond too); for a
 * daemon reached by URL, whose fsyncs cannot be seen from here, when the record appears in the file, which may be
 * before its fsync. Triggers whose request is refused are counted, not measured. One probe per run; thread-safe.
 */
public final class DecisionProbe implements AutoCloseable {
    static final String HOST_PREFIX = "bench-trigger-";
    private static final Pattern TRIGGER = Pattern.compile(HOST_PREFIX + "(\\d+)");
    private static final String DECISION = "\"type\":\"decision\"";
    private static final Pattern KIND = Pattern.compile("\"decision\":\"([a-z]+)\"");
    private static final Pattern SEQ = Pattern.compile("^\\{\"seq\":(\\d+),");
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Path journal;
    private final Map<Integer, Long> sent = new ConcurrentHashMap<>();
    private final Map<Integer, Long> decided = new ConcurrentHashMap<>();
    private final Map<Integer, String> kinds = new ConcurrentHashMap<>();
    /** Decision records seen but not durable yet: trigger → the record's sequence number. */
    private final Map<Integer, Long> awaitingFsync = new ConcurrentHashMap<>();
    private final Optional<LongSupplier> durableSeq;
    private final Set<Integer> refused = ConcurrentHashMap.newKeySet();
    private final Thread tail;
    private volatile String example = "";
    private volatile boolean running = true;
    private long offset;

    /**
     * Starts tailing {@code journal} from its current end (earlier decisions are not this run's).
     *
     * @param durableSeq the sequence number of the journal's last durable record, when the daemon runs in this process
     */
    public DecisionProbe(Path journal, Optional<LongSupplier> durableSeq) {
        this.journal = journal;
        this.durableSeq = durableSeq;
        try {
            this.offset = Files.exists(journal) ? Files.size(journal) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit journal " + journal, e);
        }
        this.tail = new Thread(this::tailLoop, "bench-journal-tail");
        this.tail.setDaemon(true);
        this.tail.start();
    }

    /** The remote_write body (snappy) of trigger {@code n}, its samples ending at {@code timeMillis}. */
    public static byte[] triggerBody(int n, long timeMillis) {
        return TriggerSeries.body(HOST_PREFIX + n, timeMillis);
    }

    /**
     * Sends {@code count} triggers to {@code base}, one every {@code every}, from the calling thread on one kept-alive
     * connection (as a Prometheus sends); returns once all are sent (their decisions may still be on the way: see
     * {@link #await}).
     */
    public void run(URI base, int count, Duration every) throws InterruptedException {
        Sender.Connection connection = new Sender.Connection(base, Sender.Protocol.REMOTE_WRITE);
        connection.open();
        long start = System.nanoTime();
        for (int n = 0; n < count; n++) {
            long planned = start + n * every.toNanos();
            for (long wait = planned - System.nanoTime(); wait > 0; wait = planned - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            sent.put(n, System.nanoTime());
            if (connection.send(new Sender.Body(triggerBody(n, System.currentTimeMillis()), 5)) / 100 != 2) {
                refused.add(n);
                sent.remove(n);
            }
        }
    }

    /** Waits until every accepted trigger is decided or {@code within} has passed; returns the latencies measured. */
    public Latencies await(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && !decided.keySet().containsAll(sent.keySet())) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        Latencies out = new Latencies();
        sent.forEach((id, at) -> {
            Long seen = decided.get(id);
            if (seen != null) {
                out.record(Math.max(0, seen - at));
            }
        });
        return out;
    }

    public int sentCount() {
        return sent.size();
    }

    public int refusedCount() {
        return refused.size();
    }

    /** Triggers sent and accepted whose decision did not appear. */
    public int undecidedCount() {
        return (int) sent.keySet().stream().filter(id -> !decided.containsKey(id)).count();
    }

    /** The decision kinds taken on triggers (execute, approve, …), by count. */
    public Map<String, Long> kinds() {
        Map<String, Long> out = new java.util.TreeMap<>();
        kinds.values().forEach(k -> out.merge(k, 1L, Long::sum));
        return out;
    }

    /** When trigger {@code id}'s decision was seen durable (System.nanoTime), if it was. */
    Optional<Long> decidedAt(int id) {
        return Optional.ofNullable(decided.get(id));
    }

    /** The first decision record on a trigger, as written (to see why it was decided so). */
    public String example() {
        return example;
    }

    private void tailLoop() {
        StringBuilder partial = new StringBuilder();
        while (running) {
            try {
                readNew(partial);
            } catch (IOException e) {
                // the journal may not exist yet; try again next poll
            }
            durableSeq.ifPresent(d -> fsynced(d.getAsLong(), System.nanoTime()));
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private void readNew(StringBuilder partial) throws IOException {
        if (!Files.exists(journal)) {
            return;
        }
        try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "r")) {
            long length = f.length();
            if (length <= offset) {
                return;
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 16 << 20)];
            f.seek(offset);
            f.readFully(bytes);
            long seen = System.nanoTime();
            offset += bytes.length;
            partial.append(new String(bytes, StandardCharsets.UTF_8));
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                line(partial.substring(0, nl), seen);
                partial.delete(0, nl + 1);
            }
        }
    }

    void line(String line, long seenNanos) {
        if (!line.contains(DECISION)) {
            return;
        }
        Matcher m = TRIGGER.matcher(line);
        if (m.find()) {
            int id = Integer.parseInt(m.group(1));
            Matcher seq = SEQ.matcher(line);
            if (durableSeq.isPresent() && seq.find()) {
                awaitingFsync.putIfAbsent(id, Long.parseLong(seq.group(1)));
            } else {
                decided.putIfAbsent(id, seenNanos);
            }
            if (example.isEmpty()) {
                example = line;
            }
            Matcher k = KIND.matcher(line);
            kinds.putIfAbsent(id, k.find() ? k.group(1) : "?");
        }
    }

    /** Decisions whose records the journal's fsyncs have covered up to {@code upTo} are decided at {@code now}. */
    void fsynced(long upTo, long now) {
        awaitingFsync.entrySet().removeIf(e -> {
            if (e.getValue() <= upTo) {
                decided.putIfAbsent(e.getKey(), now);
                return true;
            }
            return false;
        });
    }

    @Override
    public void close() {
        running = false;
        tail.interrupt();
    }
}
