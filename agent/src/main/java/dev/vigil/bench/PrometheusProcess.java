package dev.vigil.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A Prometheus 2.x server (the Debian package's {@code /usr/bin/prometheus}) with its remote-write receiver on, on
 * 127.0.0.1 and a free port, in a private temp directory, scraping nothing: the receiver the generator compares
 * Vigil with. {@link #close} stops it and removes the directory. Thread-safe.
 */
public final class PrometheusProcess implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);

    private final Process process;
    private final Path dir;
    private final URI base;

    private PrometheusProcess(Process process, Path dir, URI base) {
        this.process = process;
        this.dir = dir;
        this.base = base;
    }

    /** Starts Prometheus and returns once {@code /-/ready} answers 200. */
    public static PrometheusProcess start(Path binary) throws IOException, InterruptedException {
        if (!Files.isExecutable(binary)) {
            throw new IOException("no Prometheus at " + binary + " (apt-get install prometheus)");
        }
        Path dir = Files.createTempDirectory("vigil-bench-prometheus");
        Path config = Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(List.of(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusProcess prometheus = new PrometheusProcess(p, dir, URI.create("http://127.0.0.1:" + port));
        try {
            prometheus.awaitReady();
        } catch (IOException | RuntimeException e) {
            prometheus.close();
            throw e;
        }
        return prometheus;
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Prometheus exited with " + process.exitValue() + "; see " + dir.resolve("prometheus.log"));
            }
            try {
                if (client.send(HttpRequest.newBuilder(base.resolve("/-/ready")).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new IOException("Prometheus was not ready within " + READY_WITHIN.toSeconds() + " s");
    }

    public URI base() {
        return base;
    }

    /** The resident set size of the Prometheus process in bytes (from /proc), or -1 where unknown. */
    public long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
