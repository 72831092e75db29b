package dev.vigil.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The harness itself: each real server starts, answers, and is gone after close(). */
@Timeout(60)
class RealServersTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void prometheusIsReadyAndAcceptsRemoteWrite() throws Exception {
        RealServer prometheus = RealServers.prometheus("global: {scrape_interval: 1s}\n", RealServers.REMOTE_WRITE_RECEIVER);
        try (prometheus) {
            assertEquals(200, prometheus.get("/-/ready").statusCode());
            // 400 (not snappy), not 404: the receiver is switched on.
            assertEquals(400, prometheus.post("/api/v1/write", "application/x-protobuf", "not snappy").statusCode());
        }
        assertStopped(prometheus);
    }

    @Test
    void nodeExporterServesCpuMetricsAndPrometheusScrapesThem() throws Exception {
        RealServer node = RealServers.nodeExporter();
        try (node) {
            assertTrue(node.get("/metrics").body().contains("node_cpu_seconds_total"), node.logTail());
            String config = """
                    global: {scrape_interval: 1s}
                    scrape_configs:
                      - job_name: node
                        static_configs: [{targets: ['%s:%d']}]
                    """.formatted(node.host(), node.port());
            try (RealServer prometheus = RealServers.prometheus(config)) {
                // Prometheus hands new targets to the scraper only after about 5 s.
                String query = "/api/v1/query?query=" + URLEncoder.encode("up{job=\"node\"}", UTF_8);
                awaitTrue("Prometheus scraped node-exporter\n" + prometheus.logTail(),
                        () -> get(prometheus, query).contains("\"1\"]"));
            }
        }
        assertStopped(node);
    }

    @Test
    void alertmanagerAcceptsAnAlertAndDeliversItsWebhook() throws Exception {
        BlockingQueue<String> webhooks = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            webhooks.add(new String(exchange.getRequestBody().readAllBytes(), UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try (RealServer alertmanager = RealServers.alertmanager("""
                route: {receiver: hook, group_wait: 0s, group_interval: 1s}
                receivers:
                  - name: hook
                    webhook_configs: [{url: 'http://127.0.0.1:%d/hook'}]
                """.formatted(receiver.getAddress().getPort()))) {
            var posted = alertmanager.post("/api/v2/alerts", "application/json",
                    "[{\"labels\": {\"alertname\": \"VigilHarnessTest\", \"severity\": \"page\"}}]");
            assertEquals(200, posted.statusCode(), posted.body());
            String webhook = webhooks.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(webhook != null && webhook.contains("VigilHarnessTest"), "webhook " + webhook + "\n" + alertmanager.logTail());
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void rsyslogForwardsALoggerMessageOctetCounted() throws Exception {
        try (ServerSocket target = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            target.setSoTimeout((int) WAIT.toMillis());
            RsyslogServer rsyslog = RealServers.rsyslog(RsyslogServer.forwardTcp(target.getLocalPort()));
            try (rsyslog; Socket forwarded = acceptAfterLogging(target, rsyslog, "marker-" + System.nanoTime())) {
                forwarded.setSoTimeout((int) WAIT.toMillis());
                String frame = readFrameContaining(forwarded.getInputStream(), rsyslog.name());
                // user.notice (<13>), RFC 5424 version 1, our tag as APP-NAME.
                assertTrue(frame.startsWith("<13>1 ") && frame.contains(" vigil-test "), frame);
            }
            assertStopped(rsyslog);
        }
    }

    /** Logs the marker first: omfwd connects only when it has a message to send. */
    private static Socket acceptAfterLogging(ServerSocket target, RsyslogServer rsyslog, String marker) throws IOException {
        rsyslog.logger("vigil-test", rsyslog.name() + " " + marker);
        return target.accept();
    }

    @Test
    void postgresAnswersSelectOne() {
        PostgresServer postgres = RealServers.postgres();
        try (postgres) {
            assertEquals("1", postgres.psql("select 1"));
            assertTrue(postgres.dataSourceName().startsWith("postgresql://postgres@127.0.0.1:"), postgres.dataSourceName());
        }
        assertStopped(postgres);
    }

    @Test
    void postgresExporterReportsTheClusterUp() throws Exception {
        try (PostgresServer postgres = RealServers.postgres();
                RealServer exporter = RealServers.postgresExporter(postgres)) {
            String metrics = exporter.get("/metrics").body();
            assertTrue(metrics.lines().anyMatch("pg_up 1"::equals), exporter.logTail());
        }
    }

    @Test
    void aServerThatExitsFailsWithTheTailOfItsLog() {
        Binaries.orSkip(Binaries.PROMETHEUS, "prometheus");
        AssertionError e = assertThrows(AssertionError.class, () -> RealServers.prometheus("global: {scrape_interval: nope"));
        assertTrue(e.getMessage().contains("exited with code") && e.getMessage().contains("Error loading config"), e.getMessage());
    }

    @Test
    void aMissingBinaryFailsUnderCiAndSkipsElsewhere() {
        AssertionFailedError ci = assertThrows(AssertionFailedError.class, () -> Binaries.missing("/usr/bin/nope", "nope-pkg", true));
        assertTrue(ci.getMessage().contains("/usr/bin/nope") && ci.getMessage().contains("apt-get install nope-pkg"), ci.getMessage());
        assertThrows(TestAbortedException.class, () -> Binaries.missing("/usr/bin/nope", "nope-pkg", false));
    }

    /** Reads octet-counted frames ("LEN MSG") until one contains text (rsyslogd may forward its own start message). */
    private static String readFrameContaining(InputStream in, String text) throws IOException {
        while (true) {
            StringBuilder length = new StringBuilder();
            for (int c = in.read(); c != ' '; c = in.read()) {
                if (c < 0 || length.length() > 10) {
                    throw new EOFException("no octet-counted frame; got length prefix '" + length + "'");
                }
                length.append((char) c);
            }
            int n = Integer.parseInt(length.toString());
            String frame = new String(in.readNBytes(n), UTF_8);
            assertEquals(n, frame.getBytes(UTF_8).length, "a frame of " + n + " octets");
            if (frame.contains(text)) {
                return frame;
            }
        }
    }

    private static String get(RealServer server, String path) {
        try {
            return server.get(path).body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Thread.sleep(200);
        }
    }

    /** After close(): nothing listens on the port, and the server's directory is gone. */
    private static void assertStopped(RealServer server) {
        assertThrows(ConnectException.class, () -> new Socket(server.host(), server.port()).close(), server + " still listens");
        assertFalse(Files.exists(server.workDir()), server.workDir() + " still exists");
    }
}
