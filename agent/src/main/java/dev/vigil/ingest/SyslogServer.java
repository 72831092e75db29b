package dev.vigil.ingest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Receives syslog over TCP (RFC 6587: octet-counted or LF-framed, per frame) and queues each message as a
 * {@link dev.vigil.fact.LogRecord}, source {@code syslog}. Refusals are counted: {@code bad_message} (unparseable),
 * {@code frame_too_large} and {@code bad_frame} (the connection is closed, since framing is lost),
 * {@code incomplete_frame} (cut off by the idle timeout). A full queue pauses the connection instead of dropping.
 * {@link #start} and {@link #close} may be called from any thread.
 */
public final class SyslogServer {
    static final String SOURCE = "syslog";

    private final String host;
    private final int port;
    private final IngestQueue queue;
    private final IngestStats stats;
    private final IngestLimits limits;
    private final Duration idleTimeout;
    private final InstantSource clock;
    private NetServer server;

    /**
     * @param port        0 for any free port (see {@link #start})
     * @param idleTimeout a connection that completes no message for this long is closed (within twice this long)
     */
    public SyslogServer(String host, int port, IngestQueue queue, IngestStats stats, IngestLimits limits,
                        Duration idleTimeout, InstantSource clock) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("syslog port must be 0..65535, was " + port);
        }
        if (idleTimeout.toMillis() <= 0) {
            throw new IllegalArgumentException("syslog idle timeout must be at least 1ms, was " + idleTimeout);
        }
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.queue = queue;
        this.stats = stats;
        this.limits = limits;
        this.idleTimeout = idleTimeout;
        this.clock = clock;
    }

    /** Starts listening; completes with the bound port (useful with port 0). */
    public synchronized Future<Integer> start(Vertx vertx) {
        if (server != null) {
            throw new IllegalStateException("syslog server already started on " + host + ":" + port);
        }
        server = vertx.createNetServer(new NetServerOptions().setTcpKeepAlive(true)).connectHandler(socket ->
                new SyslogConnection(socket, vertx, queue, stats, limits, idleTimeout, clock).start());
        return server.listen(port, host).map(NetServer::actualPort);
    }

    /** Stops listening and closes the open connections. */
    public synchronized Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
