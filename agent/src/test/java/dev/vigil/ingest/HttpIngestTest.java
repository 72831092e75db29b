package dev.vigil.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.MetricSample;
import dev.vigil.fact.Telemetry;
import dev.vigil.testing.Payloads;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP receivers on a real loopback server: each protocol's status codes, and hostile bodies refused with a clear
 * answer while the receiver keeps taking good data. No engine here: the queue is read directly.
 */
class HttpIngestTest {
    private static final long T0 = 1_767_225_600_000L;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private Vertx vertx;
    private HttpServer server;
    private IngestStats stats;
    private IngestQueue queue;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        startWith(1_000);
    }

    private void startWith(long capacity) throws Exception {
        vertx = Vertx.vertx();
        stats = new IngestStats();
        queue = new IngestQueue(capacity, stats);
        IngestLimits limits = new IngestLimits(1 << 20, 4 << 20, 64, 256, 4096, 16 << 10, 10_000);
        HttpIngest ingest = new HttpIngest(vertx, queue, stats, limits, Duration.ofSeconds(1), () -> T0);
        server = vertx.createHttpServer().requestHandler(req -> {
            if (!ingest.handle(req)) {
                req.response().setStatusCode(404).end();
            }
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = URI.create("http://127.0.0.1:" + server.actualPort());
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> remoteWrite(byte[] body) throws Exception {
        return post("/api/v1/write", body, "Content-Encoding", "snappy", "Content-Type", "application/x-protobuf",
                "X-Prometheus-Remote-Write-Version", "0.1.0");
    }

    private List<Telemetry> drained() {
        List<Telemetry> out = new ArrayList<>();
        queue.drain(out::add, Long.MAX_VALUE);
        return out;
    }

    private static byte[] oneSample(String name, double value) {
        return Payloads.remoteWrite(Payloads.series(Map.of("__name__", name, "job", "node", "instance", "h1:9100"), value, T0));
    }

    @Test
    void remoteWriteSamplesReachTheQueueAnd204() throws Exception {
        HttpResponse<String> r = remoteWrite(oneSample("node_load1", 0.5));
        assertEquals(204, r.statusCode(), r.body());
        List<Telemetry> got = drained();
        assertEquals(1, got.size());
        MetricSample s = (MetricSample) got.get(0);
        assertEquals("node_load1", s.name());
        assertEquals("h1:9100", s.labels().get("instance"));
        assertEquals(0.5, s.value());
        assertEquals(T0, s.timeMillis());
    }

    @Test
    void truncatedProtobufIs400AndTheNextGoodRequestStillLands() throws Exception {
        byte[] raw = Payloads.series(Map.of("__name__", "node_load1", "job", "node"), 1, T0).toByteArray();
        byte[] framed = new byte[raw.length + 2];
        framed[0] = 0x0a; // field 1 (timeseries), length-delimited
        framed[1] = (byte) (raw.length + 40); // declares more bytes than follow: truncated
        System.arraycopy(raw, 0, framed, 2, raw.length);
        HttpResponse<String> bad = remoteWrite(Payloads.snappy(framed));
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("remote_write"), bad.body());
        assertEquals(1, stats.rejected("remote_write", "bad_payload"));
        assertTrue(drained().isEmpty(), "a refused request changes nothing");
        assertEquals(204, remoteWrite(oneSample("node_load1", 2)).statusCode());
        assertEquals(1, drained().size());
    }

    @Test
    void snappyBombIs413WithoutDecompressing() throws Exception {
        HttpResponse<String> r = remoteWrite(Payloads.snappyBomb());
        assertEquals(413, r.statusCode(), r.body());
        assertEquals(1, stats.rejected("remote_write", "body_too_large"));
        assertTrue(drained().isEmpty());
    }

    @Test
    void gzipBombIs413() throws Exception {
        byte[] bomb = Payloads.gzipBomb(64 << 20);
        assertTrue(bomb.length < 1 << 20, "the bomb itself fits under the body limit: " + bomb.length);
        HttpResponse<String> r = post("/v1/logs", bomb, "Content-Type", "application/json", "Content-Encoding", "gzip");
        assertEquals(413, r.statusCode(), r.body());
        assertEquals(1, stats.rejected("otlp_logs", "body_too_large"));
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        HttpResponse<String> r = post("/v1/logs", new byte[(1 << 20) + 1], "Content-Type", "application/json");
        assertEquals(413, r.statusCode());
        assertEquals(1, stats.rejected("otlp_logs", "body_too_large"));
    }

    @Test
    void aClientStillSendingItsBodyReadsTheRefusalRatherThanAReset() throws Exception {
        // refused on its content-length alone, while 4 MiB are still on their way: the close waits for them
        for (int i = 1; i <= 5; i++) {
            HttpResponse<String> r = post("/v1/logs", new byte[4 << 20], "Content-Type", "application/json");
            assertEquals(413, r.statusCode(), "attempt " + i);
        }
        assertEquals(5, stats.rejected("otlp_logs", "body_too_large"));
    }

    @Test
    void aMegabyteLabelValueRejectsItsSeriesOnly() throws Exception {
        String huge = "x".repeat(1 << 20);
        byte[] body = Payloads.remoteWrite(
                Payloads.series(Map.of("__name__", "node_load1", "job", "node", "evil", huge), 1, T0),
                Payloads.series(Map.of("__name__", "node_load5", "job", "node"), 2, T0));
        HttpResponse<String> r = remoteWrite(body);
        assertEquals(400, r.statusCode(), "Prometheus must not resend the invalid series");
        assertTrue(r.body().contains("label_value_too_long"), r.body());
        List<Telemetry> got = drained();
        assertEquals(1, got.size());
        assertEquals("node_load5", ((MetricSample) got.get(0)).name());
        assertEquals(1, stats.rejected("remote_write", "label_value_too_long"));
    }

    @Test
    void otlpJsonLogsAreTakenAndInvalidUtf8InProtobufIsRefused() throws Exception {
        HttpResponse<String> ok = post("/v1/logs", Payloads.otlpJsonLog("checkout", "app-1", 17, "connection refused", T0),
                "Content-Type", "application/json");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(1, drained().size());

        // a LogsData with one resource whose service.name value is the invalid UTF-8 byte 0xff
        byte[] value = {0x0a, 0x01, (byte) 0xff};                         // AnyValue.string_value
        byte[] kv = concat(new byte[] {0x0a, 0x0c}, "service.name".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0x12, (byte) value.length}, value);            // KeyValue{key, value}
        byte[] resource = concat(new byte[] {0x0a, (byte) kv.length}, kv); // Resource.attributes
        byte[] resourceLogs = concat(new byte[] {0x0a, (byte) resource.length}, resource);
        byte[] request = concat(new byte[] {0x0a, (byte) resourceLogs.length}, resourceLogs);
        HttpResponse<String> bad = post("/v1/logs", request, "Content-Type", "application/x-protobuf");
        assertEquals(400, bad.statusCode());
        assertEquals(1, stats.rejected("otlp_logs", "bad_payload"));
        assertTrue(drained().isEmpty());
    }

    @Test
    void otlpWithAnUnknownMediaTypeIs415() throws Exception {
        assertEquals(415, post("/v1/traces", new byte[] {1}, "Content-Type", "text/plain").statusCode());
    }

    @Test
    void alertmanagerResendsAreTakenOnce() throws Exception {
        byte[] firing = Payloads.alertmanager("firing", "HostDown", "db-1:9100", "2026-01-01T00:00:00Z", "abc123");
        assertEquals(200, post("/api/v1/alerts", firing, "Content-Type", "application/json").statusCode());
        assertEquals(200, post("/api/v1/alerts", firing, "Content-Type", "application/json").statusCode());
        assertEquals(1, drained().size(), "the resend of the same alert is dropped by fingerprint");
        byte[] resolved = Payloads.alertmanager("resolved", "HostDown", "db-1:9100", "2026-01-01T00:00:00Z", "abc123");
        assertEquals(200, post("/api/v1/alerts", resolved, "Content-Type", "application/json").statusCode());
        assertEquals(1, drained().size(), "a change of status is news");
        assertEquals(400, post("/api/v1/alerts", "{\"version\":\"3\"}".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json").statusCode());
    }

    @Test
    void aFullQueueAnswersRetryLaterAndLosesNothing() throws Exception {
        stop();
        startWith(3);
        assertTrue(queue.offer("test", List.of(sample(), sample(), sample())));
        HttpResponse<String> r = remoteWrite(oneSample("node_load1", 1));
        assertEquals(503, r.statusCode(), "remote_write clients retry 5xx");
        assertTrue(r.headers().firstValue("retry-after").isPresent());
        HttpResponse<String> otlp = post("/v1/logs", Payloads.otlpJsonLog("s", "h", 9, "x", T0), "Content-Type", "application/json");
        assertEquals(503, otlp.statusCode(), "OTLP exporters retry 503");
        byte[] alert = Payloads.alertmanager("firing", "HostDown", "db-1:9100", "2026-01-01T00:00:00Z", "f1");
        assertEquals(503, post("/api/v1/alerts", alert, "Content-Type", "application/json").statusCode());
        assertEquals(3, drained().size());
        assertEquals(204, remoteWrite(oneSample("node_load1", 1)).statusCode(), "taken once the engine caught up");
        assertEquals(200, post("/api/v1/alerts", alert, "Content-Type", "application/json").statusCode(),
                "the alert refused while full is not mistaken for a duplicate when Alertmanager retries");
        assertEquals(2, drained().size());
        assertEquals(3, stats.rejected("remote_write", "queue_full") + stats.rejected("otlp_logs", "queue_full")
                + stats.rejected("alertmanager", "queue_full"));
    }

    @Test
    void aBodyThatTricklesInIsCutOffAtTheDeadline() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", server.actualPort())) {
            slow.setSoTimeout(5_000);
            OutputStream o = slow.getOutputStream();
            o.write(("POST /api/v1/write HTTP/1.1\r\nHost: x\r\nContent-Encoding: snappy\r\nContent-Length: 1000\r\n\r\nab")
                    .getBytes(StandardCharsets.US_ASCII));
            o.flush();
            // meanwhile another client is served
            assertEquals(204, remoteWrite(oneSample("node_load1", 1)).statusCode());
            InputStream in = slow.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        }
        assertEquals(1, stats.rejected("remote_write", "request_timeout"));
    }

    @Test
    void getOnAReceiverIs405() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/api/v1/write")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
    }

    private static MetricSample sample() {
        return new MetricSample("x", dev.vigil.fact.Labels.EMPTY, 1, dev.vigil.fact.MetricType.GAUGE, T0);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
