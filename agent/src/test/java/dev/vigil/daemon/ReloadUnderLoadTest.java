package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.condense.CondenseStats;
import dev.vigil.fact.SeriesState;
import dev.vigil.testing.Payloads;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import dev.vigil.testing.ContentCopy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;

/**
 * A daemon running from a content directory reloads while it ingests, from the API method, the file watch and
 * SIGHUP, and loses no observation on the way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReloadUnderLoadTest {
    private static final int SERIES = 400;
    private static final int ROUNDS = 5;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
    private Path content;
    private Daemon daemon;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        content = ContentCopy.of(tmp.resolve("content"));
        DaemonConfig config = DaemonConfig.parse(new dev.vigil.content.ContentFile("test.yaml", """
                listen: {host: 127.0.0.1, port: 0}
                data_dir: %s
                host_probe: {enabled: false}
                """.formatted(tmp.resolve("data"))));
        var journal = dev.vigil.audit.AuditJournal.open(java.nio.file.Files.createDirectories(config.dataDir()).resolve("audit.jsonl"),
                java.time.InstantSource.system());
        daemon = Daemon.start(config, Content.load(dev.vigil.content.ContentSource.directory(content)), PolicyFile.defaults(),
                journal, new java.io.PrintWriter(new java.io.StringWriter()), java.time.InstantSource.system(), "reload-host");
    }

    @AfterAll
    void stop() {
        daemon.close();
        poller.shutdownNow();
    }

    /** Completes when {@code condition} holds, checked every 100 ms on a timer; fails after {@code within}. */
    private void await(Duration within, String what, BooleanSupplier condition) throws Exception {
        CompletableFuture<Void> met = new CompletableFuture<>();
        var task = poller.scheduleWithFixedDelay(() -> {
            try {
                if (condition.getAsBoolean()) {
                    met.complete(null);
                }
            } catch (RuntimeException e) {
                met.completeExceptionally(e);
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        try {
            met.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
        } finally {
            task.cancel(false);
        }
    }

    /** The next reload result that {@code test} accepts. */
    private CompletableFuture<ReloadResult> next(Predicate<ReloadResult> test) {
        CompletableFuture<ReloadResult> f = new CompletableFuture<>();
        daemon.reloader().onResult(r -> {
            if (test.test(r)) {
                f.complete(r);
            }
        });
        return f;
    }

    private static boolean changed(ReloadResult r, String file) {
        return r instanceof ReloadResult.Applied a && a.diff().changed().containsKey(file);
    }

    @Test
    @DisplayName("observations sent while the content reloads over and over are all condensed and all their series are in the new session")
    void reloadUnderIngestLoadLosesNoObservation() throws Exception {
        long t0 = System.currentTimeMillis();
        CondenseStats before = daemon.engine().query(p -> p.condenser().stats());
        List<CompletableFuture<ReloadResult>> reloads = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            ContentCopy.edit(content, "signatures/disk-full.yaml", "title: Filesystem full" + "!".repeat(round),
                    "title: Filesystem full" + "!".repeat(round + 1));
            reloads.add(daemon.reloader().reloadAsync("api:load-test"));
            List<dev.vigil.ingest.prompb.Remote.TimeSeries> batch = new ArrayList<>();
            for (int i = 0; i < SERIES; i++) {
                batch.add(Payloads.series(Map.of("__name__", "node_filesystem_avail_bytes", "job", "load", "instance",
                        "h-" + i + ":9100", "mountpoint", "/", "device", "/dev/sda1", "fstype", "ext4"), 1e9 - round, t0 + round * 1000L));
            }
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + daemon.httpPort() + "/api/v1/write"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Payloads.remoteWrite(batch.toArray(dev.vigil.ingest.prompb.Remote.TimeSeries[]::new)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, r.statusCode(), r.body());
        }
        long applied = 0;
        for (CompletableFuture<ReloadResult> f : reloads) {
            ReloadResult r = f.get(300, TimeUnit.SECONDS);
            assertTrue(!(r instanceof ReloadResult.Rejected), r.describe());
            applied += r instanceof ReloadResult.Applied ? 1 : 0;
        }
        assertTrue(applied >= 1, "at least one reload swapped content while samples arrived");
        long sent = (long) SERIES * ROUNDS;
        await(Duration.ofSeconds(120), "all " + sent + " samples condensed", () ->
                daemon.engine().query(p -> p.condenser().stats()).metricsIn() - before.metricsIn() == sent);

        CondenseStats after = daemon.engine().query(p -> p.condenser().stats());
        long inSession = daemon.engine().query(p -> p.engine().facts(SeriesState.class)).stream()
                .filter(s -> "load".equals(s.labels().get("job"))).count();
        assertEquals(sent, after.metricsIn() - before.metricsIn(), "samples counted by the condenser");
        assertEquals(after.dropped(), before.dropped(), "no sample dropped");
        assertEquals(SERIES, inSession, "one SeriesState per series in the session after " + applied + " swaps");
        assertEquals("Filesystem full" + "!".repeat(ROUNDS), daemon.engine().query(p -> p.content()).signatures()
                .get("disk-full").orElseThrow().title(), "the last edit runs");
    }

    @Test
    @DisplayName("editing a file in the content directory reloads it, journalled as asked by the file watch")
    void theFileWatchReloadsAChangedFile() throws Exception {
        CompletableFuture<ReloadResult> watched = next(r -> r.who().equals("file watch") && changed(r, "signatures/clock-skew.yaml"));
        ContentCopy.edit(content, "signatures/clock-skew.yaml", "title: ", "title: Watched ");
        ReloadResult r = watched.get(300, TimeUnit.SECONDS);
        assertInstanceOf(ReloadResult.Applied.class, r);
        assertTrue(daemon.engine().query(p -> p.content()).signatures().get("clock-skew").orElseThrow().title().startsWith("Watched "));
    }

    @Test
    @DisplayName("SIGHUP reloads the content instead of stopping the JVM")
    void sighupReloads() throws Exception {
        CompletableFuture<ReloadResult> hup = next(r -> r.who().equals("SIGHUP"));
        var previous = SignalReload.install(daemon.reloader());
        try {
            Signal.raise(new Signal("HUP"));
            ReloadResult r = hup.get(300, TimeUnit.SECONDS);
            assertTrue(!(r instanceof ReloadResult.Rejected), r.describe());
        } finally {
            SignalReload.restore(previous);
        }
    }
}
