package dev.vigil.ingest;

import dev.vigil.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.fact.Telemetry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ScraperTest {
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final Duration WITHIN = Duration.ofSeconds(5);
    private static final IngestLimits LIMITS = new IngestLimits(1 << 20, 64 << 10, 64, 256, 4096, 1024, 10_000);

    private Vertx vertx;
    private int port;
    private Scraper scraper;
    private final IngestStats stats = new IngestStats();
    private final IngestQueue queue = new IngestQueue(100_000, stats);
    private final List<Telemetry> scraped = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startExporter() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(this::exporter);
        port = server.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (scraper != null) {
            scraper.close().await(5, TimeUnit.SECONDS);
        }
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    /** A stand-in exporter: node_exporter's text plain and gzipped, a body too large, and one that never answers. */
    private void exporter(HttpServerRequest req) {
        switch (req.path()) {
            case "/metrics" -> req.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(PrometheusTextParserTest.NODE_EXPORTER);
            case "/gzip" -> req.response().putHeader("Content-Encoding", "gzip")
                    .end(Buffer.buffer(gzip(PrometheusTextParserTest.NODE_EXPORTER)));
            case "/big" -> {
                req.response().setChunked(true);
                for (int i = 0; i < 100; i++) {
                    req.response().write("padding_metric{i=\"" + i + "\"} " + "1".repeat(1000) + "\n");
                }
                req.response().end();
            }
            case "/hang" -> { } // never answers
            default -> req.response().setStatusCode(404).end();
        }
    }

    @Test
    void aTargetIsScrapedIntoItsSamplesWithUpAndScrapeDuration() {
        start(target("/metrics", Duration.ofMinutes(1), Duration.ofSeconds(2)));

        awaitScrape();
        Labels target = Labels.of("job", "node", "instance", "127.0.0.1:" + port);
        assertEquals(12, scraped.size(), "ten samples, up and scrape_duration_seconds: " + scraped);
        assertTrue(scraped.contains(new MetricSample("node_load1", target, 1.23, MetricType.GAUGE, NOW.toEpochMilli())));
        assertEquals(new MetricSample("up", target, 1, MetricType.GAUGE, NOW.toEpochMilli()), scraped.get(10));
        assertEquals(new MetricSample("scrape_duration_seconds", target, 0, MetricType.GAUGE, NOW.toEpochMilli()),
                scraped.get(11), "the fixed clock does not move");
        assertEquals(12, stats.accepted("scrape"));
    }

    @Test
    void aGzippedBodyIsDecompressed() {
        start(target("/gzip", Duration.ofMinutes(1), Duration.ofSeconds(2)));

        awaitScrape();
        assertEquals(1.0, value("up"));
        assertEquals(1.23, value("node_load1"));
    }

    @Test
    void aTargetThatIsDownReportsUpZero() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        start(new Scraper.Target(URI.create("http://127.0.0.1:" + closed + "/metrics"), "node",
                Duration.ofMinutes(1), Duration.ofSeconds(2)));

        awaitScrape();
        assertEquals(List.of("up", "scrape_duration_seconds"), names());
        assertEquals(0.0, value("up"));
    }

    @Test
    void aBodyOverTheLimitFailsTheScrapeAndIsCounted() {
        start(target("/big", Duration.ofMinutes(1), Duration.ofSeconds(2)));

        awaitScrape();
        assertEquals(List.of("up", "scrape_duration_seconds"), names());
        assertEquals(0.0, value("up"));
        assertEquals(1, stats.rejected("scrape", "body_too_large"));
    }

    @Test
    void aTargetThatDoesNotAnswerTimesOut() {
        start(target("/hang", Duration.ofMinutes(1), Duration.ofMillis(200)));

        awaitScrape();
        assertEquals(0.0, value("up"));
    }

    @Test
    void aFailingTargetIsLoggedWhenItGoesDownNotAtEveryInterval() {
        Logger logger = (Logger) LoggerFactory.getLogger(Scraper.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            start(target("/missing", Duration.ofMillis(100), Duration.ofMillis(100)));

            Await.until(vertx, WITHIN, "four failed scrapes", () -> {
                queue.drain(scraped::add, Long.MAX_VALUE);
                return names().stream().filter("up"::equals).count() >= 4;
            });
            assertEquals(0.0, value("up"));
            List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
            assertEquals(1, warnings.size(), () -> "one warning: " + warnings);
            assertTrue(warnings.get(0).getFormattedMessage().contains("/missing (job node) failed"),
                    warnings.get(0).getFormattedMessage());
        } finally {
            logger.detachAppender(logged);
        }
    }

    private Scraper.Target target(String path, Duration interval, Duration timeout) {
        return new Scraper.Target(URI.create("http://127.0.0.1:" + port + path), "node", interval, timeout);
    }

    private void start(Scraper.Target target) {
        scraper = new Scraper(List.of(target), queue, stats, LIMITS, InstantSource.fixed(NOW));
        scraper.start(vertx);
    }

    private void awaitScrape() {
        Await.until(vertx, WITHIN, "a scrape queued", () -> queue.drain(scraped::add, Long.MAX_VALUE) > 0);
    }

    private List<String> names() {
        return scraped.stream().map(t -> ((MetricSample) t).name()).toList();
    }

    private double value(String name) {
        return scraped.stream().map(MetricSample.class::cast).filter(s -> s.name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + scraped)).value();
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }
}
