package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.LogPatternRate;
import dev.vigil.fact.SeriesState;
import dev.vigil.testing.FakeProc;
import dev.vigil.testing.Payloads;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon wired end to end on loopback: what the receivers accept becomes facts in the Drools session, the
 * topology is learned from client spans, {@code /metrics} shows it all, and hostile clients do not stop it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DaemonTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private TestDaemon running;
    private Daemon daemon;
    private URI base;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        Path proc = FakeProc.create(tmp.resolve("proc"), tmp);
        running = TestDaemon.start("""
                listen: {host: 127.0.0.1, port: 0}
                data_dir: %s
                host_probe: {interval: 1s, proc: %s}
                ingest: {request_timeout: 2s}
                topology:
                  services:
                    - {name: orders-db, kind: postgres, hosts: [db-1]}
                status_interval: 1s
                """.formatted(tmp.resolve("data"), proc));
        daemon = running.daemon;
        base = running.base();
    }

    @AfterAll
    void stop() {
        running.close();
    }

    private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpRequest request = b.build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            // the daemon closes keep-alive connections idle for its request timeout; a sender whose pooled connection
            // closed just as it reused it sends again, as Prometheus and the OTLP exporters do
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    private boolean seriesInSession(String name, String instance) {
        return daemon.engine().query(p -> p.engine().facts(SeriesState.class)).stream()
                .anyMatch(s -> s.name().equals(name) && instance.equals(s.labels().get("instance")));
    }

    @Test
    void remoteWriteSamplesBecomeSeriesInTheSession() throws Exception {
        long now = System.currentTimeMillis();
        byte[] body = Payloads.remoteWrite(Payloads.series(Map.of("__name__", "node_filesystem_avail_bytes", "job", "node",
                "instance", "db-1:9100", "mountpoint", "/", "device", "/dev/sda1", "fstype", "ext4"), 1e9, now));
        HttpResponse<String> r = post("/api/v1/write", body, "Content-Encoding", "snappy", "Content-Type", "application/x-protobuf");
        assertEquals(204, r.statusCode(), r.body());
        TestDaemon.eventually("the remote_write series is a SeriesState fact", () -> seriesInSession("node_filesystem_avail_bytes", "db-1:9100"));
    }

    @Test
    void seriesNoRuleReadsAreSkippedAtTheEdgeAndCounted() throws Exception {
        long now = System.currentTimeMillis();
        long acceptedBefore = daemon.stats().accepted("remote_write");
        long skippedBefore = daemon.stats().skippedSnapshot().getOrDefault("remote_write", 0L);
        byte[] body = Payloads.remoteWrite(
                Payloads.series(Map.of("__name__", "node_filesystem_avail_bytes", "instance", "db-2:9100", "mountpoint", "/"), 1e9, now),
                Payloads.series(Map.of("__name__", "prometheus_tsdb_head_series", "instance", "db-2:9100"), 7, now),
                Payloads.series(Map.of("__name__", "go_goroutines", "instance", "db-2:9100"), 42, now));
        assertEquals(204, post("/api/v1/write", body, "Content-Encoding", "snappy", "Content-Type", "application/x-protobuf").statusCode());
        assertEquals(1, daemon.stats().accepted("remote_write") - acceptedBefore, "only the series a rule reads goes on");
        assertEquals(2, daemon.stats().skippedSnapshot().get("remote_write") - skippedBefore);
        assertTrue(get("/metrics").contains("vigil_ingest_skipped_total{source=\"remote_write\"}"));
    }

    @Test
    void theHostProbeFeedsTheEngine() throws Exception {
        TestDaemon.eventually("the probe's filesystem series is in the session", () -> daemon.engine().query(p -> p.engine().facts(SeriesState.class))
                .stream().anyMatch(s -> s.name().startsWith("node_filesystem") && "probe-host".equals(s.host())));
        assertTrue(daemon.stats().accepted("host_probe") > 0);
    }

    @Test
    void otlpLogsBecomeLogPatterns() throws Exception {
        HttpResponse<String> r = post("/v1/logs", Payloads.otlpJsonLog("checkout", "app-1", 17,
                "connection to orders-db refused", System.currentTimeMillis()), "Content-Type", "application/json");
        assertEquals(200, r.statusCode(), r.body());
        TestDaemon.eventually("the log record is counted in a LogPatternRate of checkout on app-1", () -> daemon.engine()
                .query(p -> p.engine().facts(LogPatternRate.class)).stream()
                .anyMatch(l -> l.service().equals("checkout") && l.host().equals("app-1")));
    }

    @Test
    void clientSpansTeachTheTopologyAndConfiguredServicesKeepTheirKind() throws Exception {
        long nanos = System.currentTimeMillis() * 1_000_000L;
        String traces = """
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
                 "scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
                   "name":"SELECT orders","kind":3,"startTimeUnixNano":"%d","endTimeUnixNano":"%d",
                   "attributes":[{"key":"server.address","value":{"stringValue":"db-1"}}],"status":{}}]}]}]}
                """.formatted(nanos - 5_000_000, nanos);
        HttpResponse<String> r = post("/v1/traces", traces.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
        assertEquals(200, r.statusCode(), r.body());
        TestDaemon.eventually("checkout -> orders-db learned (db-1 is orders-db's host)", () -> {
            try {
                String topo = get("/api/v1/topology");
                return topo.contains("\"name\":\"checkout\"") && topo.contains("\"depends_on\":[\"orders-db\"]")
                        && topo.contains("\"kind\":\"postgres\"");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aBadRequestIsRefusedAndTheNextGoodOneStillReachesTheEngine() throws Exception {
        HttpResponse<String> bad = post("/api/v1/write", new byte[] {0x11, 0x22, 0x33}, "Content-Encoding", "snappy");
        assertEquals(400, bad.statusCode());
        byte[] good = Payloads.remoteWrite(Payloads.series(Map.of("__name__", "node_filesystem_avail_bytes", "job", "node",
                "instance", "db-2:9100", "mountpoint", "/", "device", "/dev/sdb1", "fstype", "ext4"), 5e9, System.currentTimeMillis()));
        assertEquals(204, post("/api/v1/write", good, "Content-Encoding", "snappy").statusCode());
        TestDaemon.eventually("the good series after the bad request is in the session", () -> seriesInSession("node_filesystem_avail_bytes", "db-2:9100"));
    }

    @Test
    void aClientThatNeverFinishesItsHeadersIsCutOffWhileOthersAreServed() throws Exception {
        try (Socket loris = new Socket("127.0.0.1", daemon.httpPort())) {
            loris.setSoTimeout(10_000);
            loris.getOutputStream().write("POST /api/v1/write HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            loris.getOutputStream().flush();
            assertEquals("ok\n", get("/healthz"));
            long t0 = System.nanoTime();
            assertEquals(-1, loris.getInputStream().read(), "the server closes the connection");
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(8).toNanos());
        }
    }

    @Test
    void metricsShowIngestRefusalsAndTheEngine() throws Exception {
        post("/api/v1/write", new byte[] {0x01}, "Content-Encoding", "snappy");
        TestDaemon.eventually("the engine has cycled", () -> daemon.engine().ticks() > 1);
        String metrics = get("/metrics");
        assertTrue(metrics.contains("vigil_ingest_accepted_total{source=\"host_probe\"}"), metrics);
        assertTrue(metrics.contains("vigil_ingest_rejected_total{reason=\"bad_payload\",source=\"remote_write\"}"), metrics);
        assertTrue(metrics.contains("vigil_ingest_queue_depth"), metrics);
        assertTrue(metrics.contains("vigil_engine_step_seconds_count"), metrics);
        assertTrue(metrics.contains("vigil_condense_forecast_series"), metrics);
        assertTrue(metrics.contains("vigil_rule_firings_total"), metrics);
        assertTrue(running.out.toString().contains("status: "), running.out.toString());
    }
}
