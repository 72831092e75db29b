package dev.vigil.ingest;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP receivers: OTLP/HTTP ({@code /v1/metrics}, {@code /v1/logs}, {@code /v1/traces}), Prometheus remote_write
 * 1.0 ({@code /api/v1/write}) and the Alertmanager webhook ({@code /api/v1/alerts}). Runs on the Vert.x event loop:
 * reads the body under its size limit and a deadline, decodes, hands the facts to the engine's queue and answers with
 * each protocol's status. Nothing refused goes uncounted; a bad request changes nothing else.
 */
public final class HttpIngest {
    /** The most a request's body buffer is sized for up front, from its content-length. */
    private static final long PRESIZE_MAX_BYTES = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(HttpIngest.class);
    /** After a refusal, how long and how much of the rest of a body is read and discarded before the close. */
    private static final long LINGER_MILLIS = 2_000;
    private static final long LINGER_BYTES = 8L << 20;

    private final Vertx vertx;
    private final IngestQueue queue;
    private final IngestStats stats;
    private final IngestLimits limits;
    private final long timeoutMillis;
    private final LongSupplier clock;
    private final AlertDeduplicator alerts = new AlertDeduplicator();
    private final MetricFilter metrics;

    public HttpIngest(Vertx vertx, IngestQueue queue, IngestStats stats, IngestLimits limits, Duration requestTimeout,
                      LongSupplier clock) {
        this(vertx, queue, stats, limits, requestTimeout, clock, MetricFilter.ALL);
    }

    /** As above, decoding remote_write samples only of the metrics {@code metrics} keeps (the rest are counted). */
    public HttpIngest(Vertx vertx, IngestQueue queue, IngestStats stats, IngestLimits limits, Duration requestTimeout,
                      LongSupplier clock, MetricFilter metrics) {
        this.metrics = metrics;
        this.vertx = vertx;
        this.queue = queue;
        this.stats = stats;
        this.limits = limits;
        this.timeoutMillis = requestTimeout.toMillis();
        this.clock = clock;
    }

    /** Handles the request when its path is one of the receivers'; returns false to let the caller route it. */
    public boolean handle(HttpServerRequest req) {
        String path = req.path();
        switch (path) {
            case "/v1/metrics" -> otlp(req, OtlpDecoder.Signal.METRICS, "otlp_metrics");
            case "/v1/logs" -> otlp(req, OtlpDecoder.Signal.LOGS, "otlp_logs");
            case "/v1/traces" -> otlp(req, OtlpDecoder.Signal.TRACES, "otlp_traces");
            case "/api/v1/write" -> remoteWrite(req);
            case "/api/v1/alerts" -> alertmanager(req);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void otlp(HttpServerRequest req, OtlpDecoder.Signal signal, String source) {
        if (!post(req, source)) {
            return;
        }
        String type = mediaType(req);
        OtlpDecoder.Encoding encoding = switch (type) {
            case "application/x-protobuf" -> OtlpDecoder.Encoding.PROTOBUF;
            case "application/json" -> OtlpDecoder.Encoding.JSON;
            default -> null;
        };
        if (encoding == null) {
            refuse(req, source, "unsupported_media_type", 415, "OTLP/HTTP takes application/x-protobuf or application/json, not " + type);
            return;
        }
        readBody(req, source, body -> {
            try {
                byte[] raw = gzipped(req) ? Bodies.gunzip(body, limits.maxDecodedBytes()) : body;
                Decoded decoded = switch (signal) {
                    case METRICS -> OtlpDecoder.metrics(raw, encoding, limits);
                    case LOGS -> OtlpDecoder.logs(raw, encoding, limits);
                    case TRACES -> OtlpDecoder.traces(raw, encoding, limits);
                };
                stats.rejected(source, decoded);
                if (!queue.offer(source, decoded.items())) {
                    // retriable per the OTLP spec: the exporter backs off and sends the same data again
                    otlpError(req, 503, 14, "Vigil's engine is behind; retry later", encoding, true);
                    return;
                }
                req.response().setStatusCode(200).putHeader("content-type", OtlpDecoder.contentType(encoding))
                        .end(Buffer.buffer(OtlpDecoder.response(signal, decoded, encoding)));
            } catch (PayloadTooLargeException e) {
                stats.rejected(source, "body_too_large", 1);
                otlpError(req, 413, 3, e.getMessage(), encoding, false);
            } catch (BadPayloadException e) {
                stats.rejected(source, "bad_payload", 1);
                otlpError(req, 400, 3, e.getMessage(), encoding, false);
            }
        });
    }

    private void otlpError(HttpServerRequest req, int http, int grpcCode, String message, OtlpDecoder.Encoding encoding,
                           boolean retry) {
        HttpServerResponse r = req.response().setStatusCode(http).putHeader("content-type", OtlpDecoder.contentType(encoding));
        if (retry) {
            r.putHeader("retry-after", "1");
        }
        r.end(Buffer.buffer(OtlpDecoder.errorStatus(grpcCode, message, encoding)));
    }

    private void remoteWrite(HttpServerRequest req) {
        String source = "remote_write";
        if (!post(req, source)) {
            return;
        }
        String encoding = req.getHeader("content-encoding");
        if (encoding != null && !encoding.equalsIgnoreCase("snappy")) {
            refuse(req, source, "unsupported_media_type", 415, "remote_write bodies are snappy-compressed, not " + encoding);
            return;
        }
        readBody(req, source, body -> {
            try {
                Decoded decoded = RemoteWriteDecoder.decode(body, limits, metrics);
                stats.rejected(source, decoded);
                stats.skipped(source, decoded.skipped());
                if (!queue.offer(source, decoded.items())) {
                    // Prometheus retries 5xx with backoff, so nothing is lost while the engine catches up
                    text(req, 503, "Vigil's engine is behind; retry later", true);
                } else if (decoded.rejectedCount() > 0) {
                    // the valid series were taken; 400 tells Prometheus not to resend the invalid ones
                    text(req, 400, "accepted " + decoded.items().size() + " samples, rejected " + decoded.rejectedCount()
                            + " (" + decoded.rejectedSummary() + ")", false);
                } else {
                    req.response().setStatusCode(204).end();
                }
            } catch (BadPayloadException e) {
                refuseUnreadable(req, source, e);
            }
        });
    }

    private void alertmanager(HttpServerRequest req) {
        String source = "alertmanager";
        if (!post(req, source)) {
            return;
        }
        readBody(req, source, body -> {
            try {
                Decoded decoded = AlertmanagerDecoder.decode(body, limits, clock.getAsLong(), alerts);
                stats.rejected(source, decoded);
                if (!queue.offer(source, decoded.items())) {
                    // Alertmanager retries 5xx; the duplicates it may then send are dropped by fingerprint
                    alerts.forget(decoded.items());
                    text(req, 503, "Vigil's engine is behind; retry later", true);
                } else {
                    text(req, 200, "accepted " + decoded.items().size() + " alerts", false);
                }
            } catch (BadPayloadException e) {
                refuseUnreadable(req, source, e);
            }
        });
    }

    /** A body that cannot be read at all: 413 when it is too large, else 400; neither is worth retrying. */
    private void refuseUnreadable(HttpServerRequest req, String source, BadPayloadException e) {
        boolean tooLarge = e instanceof PayloadTooLargeException;
        refuse(req, source, tooLarge ? "body_too_large" : "bad_payload", tooLarge ? 413 : 400, e.getMessage());
    }

    private boolean post(HttpServerRequest req, String source) {
        if (req.method() != HttpMethod.POST) {
            req.response().putHeader("allow", "POST");
            refuse(req, source, "method_not_allowed", 405, req.path() + " takes POST");
            return false;
        }
        return true;
    }

    /** Collects the body up to the size limit and within the deadline, then calls {@code then} on the event loop. */
    private void readBody(HttpServerRequest req, String source, BodyConsumer then) {
        String declared = req.getHeader("content-length");
        long length = 0;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
                if (length > limits.maxBodyBytes()) {
                    refuseAndClose(req, source, "body_too_large", 413, "body over " + limits.maxBodyBytes() + " bytes");
                    return;
                }
            } catch (NumberFormatException e) {
                refuseAndClose(req, source, "bad_payload", 400, "content-length is not a number");
                return;
            }
        }
        // sized for the declared body, so it is not grown (and copied) chunk by chunk; capped, so a client that only
        // declares a large body cannot make each of its connections hold that much
        Buffer body = Buffer.buffer((int) Math.max(0, Math.min(length, PRESIZE_MAX_BYTES)));
        boolean[] done = {false};
        // a client that sends its body too slowly (slow loris) loses its connection at the deadline
        long timer = vertx.setTimer(timeoutMillis, id -> {
            if (!done[0]) {
                done[0] = true;
                refuseAndClose(req, source, "request_timeout", 408, "body not received within " + timeoutMillis + " ms");
            }
        });
        req.handler(chunk -> {
            if (done[0]) {
                return;
            }
            if ((long) body.length() + chunk.length() > limits.maxBodyBytes()) {
                done[0] = true;
                vertx.cancelTimer(timer);
                refuseAndClose(req, source, "body_too_large", 413, "body over " + limits.maxBodyBytes() + " bytes");
                return;
            }
            body.appendBuffer(chunk);
        });
        req.exceptionHandler(e -> {
            done[0] = true;
            vertx.cancelTimer(timer);
            LOG.debug("{}: request failed while reading: {}", source, e.toString());
        });
        req.endHandler(v -> {
            if (done[0]) {
                return;
            }
            done[0] = true;
            vertx.cancelTimer(timer);
            try {
                then.accept(body.getBytes());
            } catch (RuntimeException e) {
                // a decoder bug must cost one request, never the receiver
                LOG.error("{}: decoding failed unexpectedly", source, e);
                stats.rejected(source, "internal_error", 1);
                text(req, 500, "internal error while decoding; see Vigil's log", false);
            }
        });
    }

    @FunctionalInterface
    private interface BodyConsumer {
        void accept(byte[] body);
    }

    private void refuse(HttpServerRequest req, String source, String reason, int status, String message) {
        stats.rejected(source, reason, 1);
        text(req, status, message, false);
    }

    private void refuseAndClose(HttpServerRequest req, String source, String reason, int status, String message) {
        stats.rejected(source, reason, 1);
        HttpServerResponse r = req.response();
        if (!r.ended() && !r.closed()) {
            r.setStatusCode(status).putHeader("connection", "close").putHeader("content-type", "text/plain; charset=utf-8")
                    .end(message + "\n").onComplete(x -> lingerThenClose(req));
        } else {
            req.connection().close();
        }
    }

    /**
     * Closes the connection once the client has sent the rest of its body, or after {@link #LINGER_MILLIS} or
     * {@link #LINGER_BYTES}, whichever comes first. Closing while the client still writes makes the kernel reset the
     * connection, and the client may then lose the answer it was sent (a lingering close, as web servers do).
     */
    private void lingerThenClose(HttpServerRequest req) {
        if (req.isEnded()) {
            req.connection().close();
            return;
        }
        long[] discarded = {0};
        long timer = vertx.setTimer(LINGER_MILLIS, id -> req.connection().close());
        req.handler(chunk -> {
            discarded[0] += chunk.length();
            if (discarded[0] > LINGER_BYTES) {
                vertx.cancelTimer(timer);
                req.connection().close();
            }
        });
        req.endHandler(v -> {
            vertx.cancelTimer(timer);
            req.connection().close();
        });
        req.resume();
    }

    private static void text(HttpServerRequest req, int status, String message, boolean retry) {
        HttpServerResponse r = req.response();
        if (r.ended() || r.closed()) {
            return;
        }
        r.setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8");
        if (retry) {
            r.putHeader("retry-after", "1");
        }
        r.end(Buffer.buffer((message + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    private static String mediaType(HttpServerRequest req) {
        String ct = req.getHeader("content-type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean gzipped(HttpServerRequest req) {
        String ce = req.getHeader("content-encoding");
        return ce != null && ce.trim().equalsIgnoreCase("gzip");
    }
}
