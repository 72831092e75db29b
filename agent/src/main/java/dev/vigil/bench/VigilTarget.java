package dev.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.audit.AuditJournal;
import dev.vigil.condense.CondenseStats;
import dev.vigil.content.ContentFile;
import dev.vigil.daemon.Content;
import dev.vigil.daemon.Daemon;
import dev.vigil.daemon.DaemonConfig;
import dev.vigil.daemon.PolicyFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Vigil under test: a daemon started in this JVM on loopback (its heap and condensed state are then readable
 * directly), or one already running, reached by URL (its refusals and heap then come from {@code /metrics}).
 * Thread-safe.
 */
public final class VigilTarget implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REJECTED = Pattern.compile(
            "^vigil_ingest_rejected_total\\{([^}]*)\\}\\s+([0-9.eE+-]+)$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Pattern HEAP = Pattern.compile(
            "^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\}\\s+([0-9.eE+-]+)$", Pattern.MULTILINE);

    private final URI base;
    private final Optional<Path> journal;
    private final Daemon daemon; // null when reached by URL
    private final AuditJournal inProcessJournal; // null when reached by URL
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private VigilTarget(URI base, Optional<Path> journal, Daemon daemon, AuditJournal inProcessJournal) {
        this.base = base;
        this.journal = journal;
        this.daemon = daemon;
        this.inProcessJournal = inProcessJournal;
    }

    /** Starts a daemon on 127.0.0.1, port 0, dry-run, no host probe, journal under {@code dataDir}; returns once it has warmed up. */
    public static VigilTarget inProcess(Content content, Path dataDir) throws Exception {
        String yaml = "listen: {host: 127.0.0.1, port: 0}\ndata_dir: " + JSON.writeValueAsString(dataDir.toString())
                + "\nhost_probe: {enabled: false}\nstatus_interval: 1h\n";
        DaemonConfig config = DaemonConfig.parse(new ContentFile("(bench)", yaml));
        Path file = Files.createDirectories(config.dataDir()).resolve(AuditJournal.FILE_NAME);
        AuditJournal journal = AuditJournal.open(file, InstantSource.system());
        Daemon d = Daemon.start(config, content, PolicyFile.defaults(), journal, new PrintWriter(Writer.nullWriter()),
                InstantSource.system(), "bench-host");
        // a steady state is measured: not the start's replay of the content's scenarios on another core
        d.warming().get(5, java.util.concurrent.TimeUnit.MINUTES);
        return new VigilTarget(URI.create("http://127.0.0.1:" + d.httpPort()), Optional.of(file), d, journal);
    }

    /** A daemon already running at {@code base} (loopback only), writing its journal to {@code journal} if known. */
    public static VigilTarget remote(URI base, Optional<Path> journal) {
        Loopback.require(base);
        return new VigilTarget(base, journal, null, null);
    }

    public URI base() {
        return base;
    }

    public Optional<Path> journal() {
        return journal;
    }

    /** The sequence number of the journal's last durable record, when the daemon runs in this process. */
    public Optional<LongSupplier> durableSeq() {
        return inProcessJournal == null ? Optional.empty() : Optional.of(inProcessJournal::durableSeq);
    }

    public boolean inProcess() {
        return daemon != null;
    }

    /** Refusals so far, by {@code source/reason}: every one the receivers counted. */
    public Map<String, Long> rejected() throws IOException, InterruptedException {
        Map<String, Long> out = new TreeMap<>();
        if (daemon != null) {
            daemon.stats().rejectedSnapshot().forEach((k, n) -> out.put(k.source() + "/" + k.reason(), n));
            return out;
        }
        Matcher m = REJECTED.matcher(get("/metrics"));
        while (m.find()) {
            Map<String, String> labels = new TreeMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            out.put(labels.get("source") + "/" + labels.get("reason"), (long) Double.parseDouble(m.group(2)));
        }
        return out;
    }

    /** What the condense stage kept and dropped (in-process only). */
    public Optional<CondenseStats> condensed() {
        return daemon == null ? Optional.empty() : Optional.of(daemon.engine().query(p -> p.condenser().stats()));
    }

    /** Observations waiting for the engine. */
    public long queueDepth() throws IOException, InterruptedException {
        JsonNode status = JSON.readTree(get("/api/v1/status"));
        return status.path("queue_depth").asLong();
    }

    /** Waits until the engine has taken everything accepted; returns how long that took, or empty past {@code within}. */
    public Optional<Duration> drained(Duration within) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (queueDepth() == 0) {
                if (daemon != null) {
                    daemon.engine().query(p -> p.decisionsTaken()); // the cycle that took the last batch has ended
                }
                return Optional.of(Duration.ofNanos(System.nanoTime() - start));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return Optional.empty();
    }

    /**
     * Heap in use: after a full GC in-process (so it counts live objects, the generator's own tables included), or
     * the daemon's reported heap use by URL (no GC forced: an upper bound).
     */
    public long heapBytes() throws IOException, InterruptedException {
        if (daemon != null) {
            return heapAfterGc();
        }
        Matcher m = HEAP.matcher(get("/metrics"));
        long sum = 0;
        while (m.find()) {
            sum += (long) Double.parseDouble(m.group(1));
        }
        return sum;
    }

    static long heapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc(); // explicit by design: a benchmark reads live heap, and -XX:+ExplicitGCInvokesConcurrent is off
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private String get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Override
    public void close() {
        if (daemon != null) {
            daemon.close();
        }
    }
}
