package dev.vigil.ingest;

import dev.vigil.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vigil.fact.LogRecord;
import dev.vigil.fact.Severity;
import dev.vigil.fact.Telemetry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SyslogServerTest {
    private static final long NOW = 1_714_564_800_000L;
    private static final Duration WITHIN = Duration.ofSeconds(5);

    private Vertx vertx;
    private final IngestStats stats = new IngestStats();
    private final List<LogRecord> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @Test
    void octetCountedAndLineFramedMessagesReachTheQueueWithTheirFields() throws Exception {
        IngestQueue queue = new IngestQueue(1000, stats);
        int port = start(queue, Duration.ofSeconds(30));
        String rfc5424 = "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                + "[exampleSDID@32473 iut=\"3\"] \uFEFFÉvénement\nsur deux lignes";
        byte[] counted = rfc5424.getBytes(StandardCharsets.UTF_8);

        try (Socket client = connect(port)) {
            OutputStream out = client.getOutputStream();
            out.write((counted.length + " ").getBytes(StandardCharsets.US_ASCII));
            out.write(counted);
            out.write("<30>Oct  1 09:05:07 web-1 nginx[812]: worker exited\n".getBytes(StandardCharsets.US_ASCII));
            out.write("not syslog at all\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitRecords(queue, 2);
        }

        assertEquals(new LogRecord("evntslog", "mymachine.example.com", Severity.INFO, "Événement\nsur deux lignes",
                Map.of("facility", "local4", "msgid", "ID47", "sd.exampleSDID@32473.iut", "3"),
                Instant.parse("2003-10-11T22:14:15.003Z").toEpochMilli()), received.get(0));
        assertEquals(new LogRecord("nginx", "web-1", Severity.INFO, "worker exited",
                Map.of("facility", "daemon", "procid", "812"), NOW), received.get(1));
        Await.until(vertx, WITHIN, "bad message counted", () -> stats.rejected("syslog", "bad_message") == 1);
    }

    @Test
    void aSlowLorisIsClosedByTheIdleTimeoutWhileAnotherClientGetsThrough() throws Exception {
        IngestQueue queue = new IngestQueue(1000, stats);
        int port = start(queue, Duration.ofMillis(200));

        try (Socket slow = connect(port); Socket honest = connect(port)) {
            slow.getOutputStream().write("<13>1 - slow".getBytes(StandardCharsets.US_ASCII)); // never finished
            slow.getOutputStream().flush();
            honest.getOutputStream().write("<13>1 - h app - - - hello\n".getBytes(StandardCharsets.US_ASCII));
            honest.getOutputStream().flush();

            assertClosedByServer(slow);
            awaitRecords(queue, 1);
            assertEquals("hello", received.get(0).body());
        }
        assertEquals(1, stats.rejected("syslog", "incomplete_frame"));
    }

    @Test
    void anOversizedFrameClosesTheConnectionAndIsCounted() throws Exception {
        IngestQueue queue = new IngestQueue(1000, stats);
        IngestLimits small = new IngestLimits(1 << 20, 1 << 20, 64, 256, 4096, 64, 1000);
        int port = start(queue, Duration.ofSeconds(30), small);

        try (Socket liar = connect(port); Socket rambler = connect(port)) {
            liar.getOutputStream().write("1000000 <13>1 - ".getBytes(StandardCharsets.US_ASCII));
            rambler.getOutputStream().write(("<13>1 - h a - - - " + "x".repeat(200)).getBytes(StandardCharsets.US_ASCII));
            assertClosedByServer(liar);
            assertClosedByServer(rambler);
        }
        assertEquals(2, stats.rejected("syslog", "frame_too_large"));
    }

    @Test
    void aFullQueuePausesTheConnectionAndEveryRecordArrivesOnceItDrains() throws Exception {
        IngestQueue queue = new IngestQueue(10, stats);
        assertTrue(queue.offer("other", Collections.nCopies(10, new LogRecord("x", "h", Severity.INFO, "filler", Map.of(), 0))));
        int port = start(queue, Duration.ofMillis(200));

        try (Socket client = connect(port)) {
            OutputStream out = client.getOutputStream();
            for (int i = 0; i < 30; i++) {
                out.write(("<14>1 - h app - - - message " + i + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            Await.until(vertx, WITHIN, "the first refusal", () -> stats.rejected("syslog", "queue_full") > 0);
            long firstRefusals = stats.rejected("syslog", "queue_full");
            // held for three idle periods: waiting on the queue is not the sender's idleness
            long heldUntil = System.nanoTime() + Duration.ofMillis(600).toNanos();
            Await.until(vertx, WITHIN, "three idle periods with the queue full", () -> {
                assertEquals(0, stats.accepted("syslog"), "nothing got past the full queue");
                return System.nanoTime() > heldUntil;
            });
            assertTrue(stats.rejected("syslog", "queue_full") > firstRefusals, "the held batch is offered again");

            awaitRecords(queue, 30);
            out.write("<14>1 - h app - - - after the wait\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitRecords(queue, 31);
        }

        List<String> bodies = received.stream().map(LogRecord::body).toList();
        for (int i = 0; i < 30; i++) {
            assertEquals("message " + i, bodies.get(i), "in order, none lost, none twice");
        }
        assertEquals("after the wait", bodies.get(30));
    }

    private int start(IngestQueue queue, Duration idle) throws Exception {
        return start(queue, idle, IngestLimits.DEFAULTS);
    }

    private int start(IngestQueue queue, Duration idle, IngestLimits limits) throws Exception {
        SyslogServer server = new SyslogServer("127.0.0.1", 0, queue, stats, limits, idle,
                InstantSource.fixed(Instant.ofEpochMilli(NOW)));
        return server.start(vertx).await(5, TimeUnit.SECONDS);
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout((int) WITHIN.toMillis());
        return s;
    }

    /** Drains the queue (as the engine would) until {@code n} syslog records have come through. */
    private void awaitRecords(IngestQueue queue, int n) {
        Await.until(vertx, WITHIN, n + " syslog records", () -> {
            queue.drain(this::collect, Long.MAX_VALUE);
            return received.size() >= n;
        });
        assertEquals(n, received.size(), () -> "exactly " + n + ": " + received);
    }

    private void collect(Telemetry t) {
        if (t instanceof LogRecord r && !r.body().equals("filler")) {
            received.add(r);
        }
    }

    private static void assertClosedByServer(Socket s) throws IOException {
        try {
            while (s.getInputStream().read() >= 0) {
                // the server writes nothing; read until it closes
            }
        } catch (SocketTimeoutException e) {
            fail("the server did not close the connection within " + WITHIN);
        } catch (SocketException e) {
            // reset rather than FIN: closed all the same
        }
    }
}
