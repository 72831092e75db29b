package dev.vigil.ingest;

import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.fact.Telemetry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes Prometheus text endpoints on a timer, as a Prometheus server does with {@code honor_labels: false}, and
 * queues each scrape whole (source {@code scrape}) with a synthetic {@code up} and {@code scrape_duration_seconds}.
 * A scrape the queue refuses is skipped (the queue counts it); a body over {@link IngestLimits#maxDecodedBytes()}
 * fails the scrape and is counted {@code body_too_large}. A failing target is logged when it goes down and when it
 * comes back, not at every interval. All scrape state is confined to one Vert.x context; {@link #start} and
 * {@link #close} may be called from any thread.
 */
public final class Scraper {
    static final String SOURCE = "scrape";
    private static final Logger log = LoggerFactory.getLogger(Scraper.class);
    private static final String ACCEPT = "text/plain;version=0.0.4;q=1,*/*;q=0.1";

    /**
     * One endpoint to scrape. Its {@code instance} label is the URL's host:port, the scheme's default port when the
     * URL names none.
     */
    public record Target(URI url, String job, Duration interval, Duration timeout) {
        public Target {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(job, "job");
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new IllegalArgumentException("scrape url must be an absolute http(s) URL, was " + url);
            }
            if (interval == null || interval.toMillis() <= 0) {
                throw new IllegalArgumentException("scrape interval must be at least 1ms, was " + interval);
            }
            if (timeout == null || timeout.toMillis() <= 0 || timeout.compareTo(interval) > 0) {
                throw new IllegalArgumentException("scrape timeout must be positive and at most the interval ("
                        + interval + "), was " + timeout);
            }
        }

        public String instance() {
            int port = url.getPort() >= 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
            return url.getHost() + ":" + port;
        }
    }

    /** A target's scrape state; touched only on the scraper's context. */
    private static final class TargetState {
        final Target target;
        final Labels labels;
        boolean scraping;
        Boolean lastUp;
        long timerId = -1;

        TargetState(Target target) {
            this.target = target;
            this.labels = Labels.of("job", target.job(), "instance", target.instance());
        }
    }

    private final List<TargetState> targets;
    private final IngestQueue queue;
    private final IngestStats stats;
    private final IngestLimits limits;
    private final InstantSource clock;
    private Vertx vertx;
    private Context context;
    private HttpClient client;

    public Scraper(List<Target> targets, IngestQueue queue, IngestStats stats, IngestLimits limits,
                   InstantSource clock) {
        this.targets = targets.stream().map(TargetState::new).toList();
        this.queue = queue;
        this.stats = stats;
        this.limits = limits;
        this.clock = clock;
    }

    /** Scrapes every target now, then once per its interval. */
    public synchronized void start(Vertx vertx) {
        if (this.vertx != null) {
            throw new IllegalStateException("scraper already started");
        }
        this.vertx = vertx;
        // gzip is asked for but not decoded by the client: Bodies.gunzip caps what a small body may expand to
        this.client = vertx.createHttpClient(new HttpClientOptions().setDecompressionSupported(false));
        this.context = vertx.getOrCreateContext();
        context.runOnContext(v -> targets.forEach(s -> {
            scrape(s);
            s.timerId = vertx.setPeriodic(s.target.interval().toMillis(), id -> scrape(s));
        }));
    }

    /** Stops the timers and closes the HTTP client. */
    public synchronized Future<Void> close() {
        if (context == null) {
            return Future.succeededFuture();
        }
        Promise<Void> closed = Promise.promise();
        context.runOnContext(v -> {
            targets.forEach(s -> vertx.cancelTimer(s.timerId));
            client.close().onComplete(closed);
        });
        return closed.future();
    }

    private void scrape(TargetState s) {
        if (s.scraping) {
            return; // the previous scrape is still running (it ends by its timeout at the latest)
        }
        s.scraping = true;
        Instant start = clock.instant();
        fetch(s.target).onComplete(ar -> {
            s.scraping = false;
            report(s, start, ar.succeeded() ? ar.result() : null, ar.cause());
        });
    }

    /** Queues one scrape's samples, or only up=0, with the duration; logs a change of state. */
    private void report(TargetState s, Instant start, String body, Throwable failure) {
        long at = start.toEpochMilli();
        List<Telemetry> items = new ArrayList<>();
        if (body != null) {
            try {
                Decoded decoded = PrometheusTextParser.parse(body, s.labels, at, limits);
                stats.rejected(SOURCE, decoded);
                items.addAll(decoded.items());
            } catch (PayloadTooLargeException e) {
                failure = e;
            }
        }
        if (failure instanceof PayloadTooLargeException) {
            stats.rejected(SOURCE, "body_too_large", 1);
        } else if (failure instanceof BadPayloadException) {
            stats.rejected(SOURCE, "bad_payload", 1);
        }
        double seconds = Duration.between(start, clock.instant()).toNanos() / 1e9;
        items.add(new MetricSample("up", s.labels, failure == null ? 1 : 0, MetricType.GAUGE, at));
        items.add(new MetricSample("scrape_duration_seconds", s.labels, seconds, MetricType.GAUGE, at));
        logChange(s, failure);
        queue.offer(SOURCE, items);
    }

    private void logChange(TargetState s, Throwable failure) {
        boolean up = failure == null;
        if (s.lastUp != null && s.lastUp == up) {
            return;
        }
        if (!up) {
            String why = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
            log.warn("scrape of {} (job {}) failed: {}; reported again only once it recovers",
                    s.target.url(), s.target.job(), why);
        } else if (s.lastUp != null) {
            log.info("scrape of {} (job {}) recovered", s.target.url(), s.target.job());
        }
        s.lastUp = up;
    }

    /** The decoded body of one GET, failed on a non-200 answer, the timeout, or a body over the limit. */
    private Future<String> fetch(Target t) {
        long timeoutMs = t.timeout().toMillis();
        Promise<String> body = Promise.promise();
        HttpClientRequest[] request = new HttpClientRequest[1];
        long timer = vertx.setTimer(timeoutMs, id -> body.tryFail(new TimeoutException("no answer within " + t.timeout())));
        RequestOptions options = new RequestOptions()
                .setAbsoluteURI(t.url().toString())
                .setConnectTimeout(timeoutMs)
                .setIdleTimeout(timeoutMs)
                .putHeader(HttpHeaders.ACCEPT, ACCEPT)
                .putHeader(HttpHeaders.ACCEPT_ENCODING, "gzip")
                .putHeader("X-Prometheus-Scrape-Timeout-Seconds", String.format(Locale.ROOT, "%.3f", timeoutMs / 1000.0));
        client.request(options)
                .compose(req -> {
                    request[0] = req;
                    if (body.future().isComplete()) {
                        req.reset(); // timed out while connecting
                    }
                    return req.send();
                })
                .onSuccess(resp -> read(resp, body))
                .onFailure(body::tryFail);
        return body.future().andThen(ar -> {
            vertx.cancelTimer(timer);
            if (ar.failed() && request[0] != null) {
                request[0].reset(); // stop a slow or oversized answer and free its connection
            }
        });
    }

    private void read(HttpClientResponse resp, Promise<String> body) {
        int max = limits.maxDecodedBytes();
        resp.exceptionHandler(body::tryFail); // also takes the reset of a refused answer, which would be logged
        if (resp.statusCode() != 200) {
            body.tryFail(new IllegalStateException("HTTP status " + resp.statusCode()));
            return;
        }
        String length = resp.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && length.matches("\\d+") && (length.length() > 10 || Long.parseLong(length) > max)) {
            body.tryFail(new PayloadTooLargeException("Content-Length " + length + " is over " + max));
            return; // refused before reading it
        }
        boolean gzip = "gzip".equalsIgnoreCase(resp.getHeader(HttpHeaders.CONTENT_ENCODING));
        Buffer received = Buffer.buffer();
        resp.handler(chunk -> {
            if (received.length() + chunk.length() > max) {
                body.tryFail(new PayloadTooLargeException("body over " + max + " bytes"));
            } else if (!body.future().isComplete()) {
                received.appendBuffer(chunk);
            }
        });
        resp.endHandler(v -> {
            if (body.future().isComplete()) {
                return;
            }
            try {
                byte[] bytes = gzip ? Bodies.gunzip(received.getBytes(), max) : received.getBytes();
                // invalid UTF-8 becomes U+FFFD: the sample lines around it still parse
                body.tryComplete(new String(bytes, StandardCharsets.UTF_8));
            } catch (BadPayloadException e) {
                body.tryFail(e);
            }
        });
    }
}
