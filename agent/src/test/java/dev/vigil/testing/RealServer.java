package dev.vigil.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real server started for a test by {@link RealServers}: a process tree (or, where only Docker has it, a container)
 * listening on {@link #host()}:{@link #port()}, with a private temp directory and a log file of everything it printed.
 * {@link #close()} stops it and removes the directory; use try-with-resources so that happens when the test fails too.
 * Servers a test forgot, or that were running when the JVM was told to exit, are closed by a shutdown hook.
 */
public class RealServer implements AutoCloseable {
    private static final Set<RealServer> OPEN = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int TAIL_LINES = 40;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(OPEN).forEach(RealServer::close), "real-server-cleanup"));
    }

    /** How a server is stopped: its process tree destroyed, or its container removed. */
    interface Stopper {
        void stop();
    }

    private final String name;
    private final String host;
    private final int port;
    private final Path workDir;
    private final Path logFile;
    private final Stopper stopper;
    private final AtomicBoolean closed = new AtomicBoolean();

    RealServer(String name, String host, int port, Path workDir, Path logFile, Stopper stopper) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.workDir = workDir;
        this.logFile = logFile;
        this.stopper = stopper;
        OPEN.add(this);
    }

    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** {@code http://host:port}, without a trailing slash. */
    public String baseUrl() {
        return "http://" + host + ":" + port;
    }

    /** The server's private directory (config, data); removed by {@link #close()}. */
    public Path workDir() {
        return workDir;
    }

    /** The server's stdout and stderr. */
    public Path logFile() {
        return logFile;
    }

    /** The last lines the server logged, for assertion messages. */
    public String logTail() {
        return tail(logFile, TAIL_LINES);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET());
    }

    public HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Stops the server (bounded: it is killed when it does not stop in time) and removes its directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            stopper.stop();
        } finally {
            TempDirs.delete(workDir);
            OPEN.remove(this);
        }
    }

    @Override
    public String toString() {
        return name + " at " + host + ":" + port;
    }

    /** The last lines of a log file; reads at most its last 64 KB, since a server's log can grow large. */
    static String tail(Path log, int lines) {
        if (log == null || !Files.isReadable(log)) {
            return "(no log at " + log + ")";
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, f.length() - 64 * 1024);
            byte[] bytes = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(bytes);
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }
}
