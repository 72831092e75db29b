package dev.vigil.ingest;

import dev.vigil.fact.Telemetry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One syslog TCP connection: frames, parses and queues its messages in small batches. When the queue refuses a batch
 * the socket is paused (TCP pushes back on the sender) and the same batch is offered again on a timer, so nothing is
 * dropped. A connection that completes no message for a whole idle period is closed, which also ends slow-loris
 * senders. Confined to the socket's event loop.
 */
final class SyslogConnection {
    private static final Logger log = LoggerFactory.getLogger(SyslogConnection.class);
    private static final int BATCH_SIZE = 100;
    private static final long RETRY_MILLIS = 50;

    private final NetSocket socket;
    private final Vertx vertx;
    private final IngestQueue queue;
    private final IngestStats stats;
    private final IngestLimits limits;
    private final long idleMillis;
    private final InstantSource clock;
    private final SyslogFramer framer;
    private final int batchSize;
    private List<Telemetry> batch = new ArrayList<>();
    private boolean waitingForQueue;
    private boolean framedSinceCheck;
    private boolean open = true;
    private boolean framingLost;

    SyslogConnection(NetSocket socket, Vertx vertx, IngestQueue queue, IngestStats stats, IngestLimits limits,
                     Duration idleTimeout, InstantSource clock) {
        this.socket = socket;
        this.vertx = vertx;
        this.queue = queue;
        this.stats = stats;
        this.limits = limits;
        this.idleMillis = idleTimeout.toMillis();
        this.clock = clock;
        this.framer = new SyslogFramer(limits.maxLogBodyBytes() * 2);
        this.batchSize = (int) Math.min(BATCH_SIZE, queue.capacity()); // a batch over capacity would never fit
    }

    void start() {
        socket.handler(this::received);
        socket.closeHandler(v -> open = false);
        socket.exceptionHandler(e -> log.debug("syslog connection from {}: {}", socket.remoteAddress(), e.toString()));
        scheduleIdleCheck();
    }

    private void received(Buffer data) {
        framer.append(data.getBytes());
        process();
    }

    /** Frames, parses and queues what has arrived, until the queue pushes back. */
    private void process() {
        try {
            byte[] frame;
            while (!waitingForQueue && !framingLost && (frame = framer.next()) != null) {
                framedSinceCheck = true;
                parse(frame);
                if (batch.size() >= batchSize) {
                    flush();
                }
            }
        } catch (SyslogFramer.FramingException e) {
            framingLost = true;
            stats.rejected(SyslogServer.SOURCE, e.reason, 1);
            log.warn("closing syslog connection from {}: {}", socket.remoteAddress(), e.getMessage());
            socket.close();
        }
        if (!waitingForQueue) {
            flush();
        }
    }

    private void parse(byte[] frame) {
        try {
            batch.add(SyslogParser.parse(frame, limits, clock.millis()));
        } catch (BadPayloadException e) {
            stats.rejected(SyslogServer.SOURCE, "bad_message", 1);
            log.debug("syslog message from {} refused: {}", socket.remoteAddress(), e.getMessage());
        }
    }

    private void flush() {
        if (batch.isEmpty()) {
            return;
        }
        if (queue.offer(SyslogServer.SOURCE, batch)) {
            batch = new ArrayList<>();
            return;
        }
        waitingForQueue = true;
        socket.pause();
        vertx.setTimer(RETRY_MILLIS, id -> retry());
    }

    /** Offers the held batch again; on success reads on (the socket may have closed meanwhile: its frames still count). */
    private void retry() {
        if (!queue.offer(SyslogServer.SOURCE, batch)) {
            vertx.setTimer(RETRY_MILLIS, id -> retry());
            return;
        }
        batch = new ArrayList<>();
        waitingForQueue = false;
        framedSinceCheck = true; // the wait was ours, not the sender's idleness
        process();
        if (!waitingForQueue && open) {
            socket.resume();
        }
    }

    /**
     * Checks idleness once per idle period rather than re-arming a timer for every message: the connection is closed
     * between one and two periods after its last complete message.
     */
    private void scheduleIdleCheck() {
        vertx.setTimer(idleMillis, id -> {
            if (!open) {
                return;
            }
            if (framedSinceCheck || waitingForQueue) {
                framedSinceCheck = false;
                scheduleIdleCheck();
                return;
            }
            if (framer.hasPartialFrame()) {
                stats.rejected(SyslogServer.SOURCE, "incomplete_frame", 1);
            }
            log.debug("closing idle syslog connection from {}", socket.remoteAddress());
            socket.close();
        });
    }
}
