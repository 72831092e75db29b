package dev.vigil.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends bodies over HTTP/1.1 from a few threads, each on its own connection, either as fast as they are accepted
 * (closed loop: the next request leaves when the last is answered) or at a set rate (open loop: each request has a
 * planned send time, and its latency counts from then, so a stalled receiver cannot hide its queueing delay).
 * Bounded by a deadline and a count. One run per instance; {@link #run} blocks until the run ends.
 */
public final class Sender {
    /** Backing off after "retry later" keeps a closed loop from spinning on a full queue, as real senders do. */
    private static final long BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** One request body and how many samples, records or spans it carries. */
    public record Body(byte[] bytes, int items) {
    }

    /** Produces the bodies of one sender thread; called only from that thread. */
    @FunctionalInterface
    public interface BodySource {
        Body next(long timeMillis);
    }

    /** Where and how to send: path and headers of a protocol. */
    public record Protocol(String path, String contentType, String contentEncoding) {
        public static final Protocol REMOTE_WRITE = new Protocol("/api/v1/write", "application/x-protobuf", "snappy");
        public static final Protocol OTLP_METRICS = new Protocol("/v1/metrics", "application/x-protobuf", null);
        public static final Protocol OTLP_LOGS = new Protocol("/v1/logs", "application/x-protobuf", null);
        public static final Protocol OTLP_TRACES = new Protocol("/v1/traces", "application/x-protobuf", null);
    }

    /**
     * What a run did.
     *
     * @param accepted items in requests answered 2xx
     * @param refused  items in requests answered otherwise, by {@code http_<status>} or {@code io_error}
     */
    public record Result(long accepted, Map<String, Long> refused, Latencies ack, long elapsedNanos, long requests) {
        public double acceptedPerSecond() {
            return accepted / (elapsedNanos / 1e9);
        }
    }

    private final URI base;
    private final Protocol protocol;

    public Sender(URI base, Protocol protocol) {
        Loopback.require(base);
        this.base = base;
        this.protocol = protocol;
    }

    /**
     * Runs {@code sources.size()} threads until {@code duration} has passed or {@code maxItems} were sent.
     *
     * @param itemsPerSecond the total rate to hold, or 0 for as fast as accepted
     */
    public Result run(List<BodySource> sources, double itemsPerSecond, Duration duration, long maxItems) throws InterruptedException {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one sender thread");
        }
        if (itemsPerSecond < 0) {
            throw new IllegalArgumentException("rate must be 0 (as fast as accepted) or positive, was " + itemsPerSecond);
        }
        ExecutorService threads = Executors.newFixedThreadPool(sources.size(), r -> new Thread(r, "bench-sender"));
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        long perThreadMax = Math.max(1, maxItems / sources.size());
        double perThreadRate = itemsPerSecond / sources.size();
        List<Future<Worker>> running = new ArrayList<>();
        for (BodySource s : sources) {
            running.add(threads.submit(() -> new Worker(s).run(start, deadline, perThreadMax, perThreadRate)));
        }
        long accepted = 0;
        long requests = 0;
        Map<String, Long> refused = new TreeMap<>();
        Latencies ack = new Latencies();
        try {
            for (Future<Worker> f : running) {
                Worker w = f.get();
                accepted += w.accepted;
                requests += w.requests;
                w.refused.forEach((k, v) -> refused.merge(k, v, Long::sum));
                ack.merge(w.ack);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a sender thread failed: " + e.getCause(), e.getCause());
        } finally {
            threads.shutdownNow();
        }
        return new Result(accepted, refused, ack, System.nanoTime() - start, requests);
    }

    /**
     * One kept-alive HTTP/1.1 connection to the target, as a Prometheus's remote_write queue keeps: a client of its own,
     * so requests after the first pay no connection set-up. For one thread at a time.
     */
    public static final class Connection {
        private final URI base;
        private final Protocol protocol;
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        public Connection(URI base, Protocol protocol) {
            Loopback.require(base);
            this.base = base;
            this.protocol = protocol;
        }

        /** Sends one body; returns the response status, or -1 when no response came. */
        public int send(Body body) {
            HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(protocol.path()))
                    .timeout(Duration.ofSeconds(30))
                    .header("content-type", protocol.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
            if (protocol.contentEncoding() != null) {
                req.header("content-encoding", protocol.contentEncoding());
            }
            if (protocol == Protocol.REMOTE_WRITE) {
                req.header("X-Prometheus-Remote-Write-Version", "0.1.0");
            }
            try {
                return client.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        /** Opens the connection now (a health check), so the first body sent is not the one that waits for it. */
        public void open() {
            try {
                client.send(HttpRequest.newBuilder(base.resolve("/healthz")).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // the first send tries again and counts its failure
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Worker {
        private final BodySource source;
        private final Connection connection = new Connection(base, protocol);
        private final Map<String, Long> refused = new TreeMap<>();
        private final Latencies ack = new Latencies();
        private long accepted;
        private long requests;

        Worker(BodySource source) {
            this.source = source;
        }

        Worker run(long start, long deadline, long maxItems, double rate) {
            long sent = 0;
            while (sent < maxItems) {
                long planned = rate > 0 ? start + (long) (sent / rate * 1e9) : System.nanoTime();
                if (planned >= deadline) {
                    break;
                }
                for (long wait = planned - System.nanoTime(); wait > 0; wait = planned - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                if (System.nanoTime() >= deadline) {
                    break;
                }
                Body body = source.next(System.currentTimeMillis());
                int status = connection.send(body);
                ack.record(System.nanoTime() - planned);
                requests++;
                sent += body.items();
                if (status / 100 == 2) {
                    accepted += body.items();
                } else {
                    refused.merge(status < 0 ? "io_error" : "http_" + status, (long) body.items(), Long::sum);
                    if (rate == 0 && (status == 429 || status == 503 || status < 0)) {
                        LockSupport.parkNanos(BACKOFF_NANOS);
                    }
                }
            }
            return this;
        }
    }
}
