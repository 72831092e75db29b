package dev.vigil.testing;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** How the harness tells that a server is ready: a check that may throw (not ready yet) and a description for errors. */
record Probe(String description, Check check) {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** One readiness check; an exception counts as "not ready yet" and is reported if the wait times out. */
    interface Check {
        boolean ready() throws Exception;
    }

    /** Ready when GET url answers 200 (Prometheus and Alertmanager /-/ready, the exporters' /metrics). */
    static Probe http(String url) {
        return new Probe("GET " + url + " answers 200", () -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
    }

    /** Ready when a TCP connection to host:port is accepted (rsyslog's imtcp input). */
    static Probe tcp(String host, int port) {
        return new Probe("TCP connect to " + host + ":" + port, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
                return true;
            }
        });
    }

    /**
     * Ready when a ZooKeeper server answers its {@code srvr} command with its mode (leader, follower or standalone):
     * only a server that is part of a quorum does; an accepted TCP connection alone says nothing.
     */
    static Probe zookeeper(String host, int port) {
        return new Probe("ZooKeeper at " + host + ":" + port + " serving in a quorum", () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
                s.setSoTimeout((int) TIMEOUT.toMillis());
                s.getOutputStream().write("srvr".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).contains("Mode: ");
            }
        });
    }

    /** Ready when a command exits 0 (pg_isready: a bare TCP connect would succeed while PostgreSQL still starts up). */
    static Probe command(List<String> command, Path dir) {
        return new Probe(String.join(" ", command) + " exits 0", () -> Commands.run(command, dir, TIMEOUT).ok());
    }

    @Override
    public String toString() {
        return description;
    }
}
