package dev.vigil.daemon;

import dev.vigil.audit.AuditJournal;
import dev.vigil.content.ContentFile;
import dev.vigil.content.ContentSource;
import dev.vigil.testing.Repo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.BooleanSupplier;

/** A daemon on loopback for tests, on the repository's content (compiled once per test JVM). */
final class TestDaemon implements AutoCloseable {
    private static Content content;

    final Daemon daemon;
    final StringWriter out;

    private TestDaemon(Daemon daemon, StringWriter out) {
        this.daemon = daemon;
        this.out = out;
    }

    static synchronized Content content() throws Exception {
        if (content == null) {
            content = Content.load(ContentSource.directory(Repo.root()));
        }
        return content;
    }

    /**
     * Starts a daemon on {@code yaml} (which should listen on port 0 and name a data_dir under a temp folder). Without
     * the warm-up unless {@code yaml} names {@code warm_up}: it replays every scenario, seconds of CPU per start, and
     * the suite starts dozens of daemons (WarmUpTest covers it).
     */
    static TestDaemon start(String yaml, SelfTracing tracing) throws Exception {
        if (!yaml.contains("warm_up:")) {
            yaml = yaml + (yaml.endsWith("\n") ? "" : "\n") + "warm_up: false\n";
        }
        DaemonConfig config = DaemonConfig.parse(new ContentFile("test.yaml", yaml));
        AuditJournal journal = AuditJournal.open(Files.createDirectories(config.dataDir()).resolve("audit.jsonl"), InstantSource.system());
        StringWriter out = new StringWriter();
        Daemon d = Daemon.start(config, content(), PolicyFile.defaults(), journal, new PrintWriter(out, true),
                InstantSource.system(), "probe-host", tracing);
        return new TestDaemon(d, out);
    }

    static TestDaemon start(String yaml) throws Exception {
        DaemonConfig config = DaemonConfig.parse(new ContentFile("test.yaml", yaml));
        return start(yaml, SelfTracing.of(config.tracingEndpoint(), "probe-host"));
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + daemon.httpPort());
    }

    /** Waits up to 20 s for {@code condition}; fails naming {@code what}. */
    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        eventually(Duration.ofSeconds(20), what, condition);
    }

    static void eventually(Duration within, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + within.toSeconds() + " s: " + what);
    }

    /** Whether the session holds a fact of {@code type} that {@code test} accepts (asked on the engine thread). */
    <T> boolean holds(Class<T> type, java.util.function.Predicate<T> test) {
        return daemon.engine().query(p -> p.engine().facts(type)).stream().anyMatch(test);
    }

    @Override
    public void close() {
        daemon.close();
    }
}
