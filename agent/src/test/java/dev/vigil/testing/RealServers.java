package dev.vigil.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Starts real servers for integration tests from the Debian packages (no Docker engine needed), each on 127.0.0.1 and a
 * free port, in a private temp directory, and returns once it is ready. A missing package skips the test, or fails it
 * under CI=true ({@link Binaries}); Prometheus and Alertmanager fall back to containers where only Docker has them.
 * Close what you start (try-with-resources): that stops the process tree and removes the directory.
 */
public final class RealServers {
    /** The Prometheus flag that accepts remote_write on /api/v1/write. */
    public static final String REMOTE_WRITE_RECEIVER = "--web.enable-remote-write-receiver";
    static final String LOOPBACK = "127.0.0.1";
    /** A free port is found by binding and releasing it, so another process may take it first: then start again. */
    private static final int START_ATTEMPTS = 3;
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);

    private RealServers() {
    }

    /** Prometheus with configYaml as its prometheus.yml; extraArgs such as {@link #REMOTE_WRITE_RECEIVER}. */
    public static RealServer prometheus(String configYaml, String... extraArgs) {
        Optional<Path> bin = Binaries.find(Binaries.PROMETHEUS);
        if (bin.isEmpty() && Containers.available()) {
            return Containers.prometheus(configYaml, extraArgs);
        }
        Path binary = bin.orElseGet(() -> Binaries.missing(Binaries.PROMETHEUS, "prometheus"));
        return inTempDir("prometheus", dir -> {
            Path config = Files.writeString(dir.resolve("prometheus.yml"), configYaml);
            Started s = launch("prometheus", dir, Map.of(), port -> concat(List.of(binary.toString(),
                    "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=" + LOOPBACK + ":" + port), extraArgs),
                    port -> Probe.http(url(port, "/-/ready")));
            return new RealServer("prometheus", LOOPBACK, s.port, dir, s.log, s.process);
        });
    }

    /** Alertmanager with configYaml as its alertmanager.yml; clustering is off (an empty --cluster.listen-address). */
    public static RealServer alertmanager(String configYaml) {
        Optional<Path> bin = Binaries.find(Binaries.ALERTMANAGER);
        if (bin.isEmpty() && Containers.available()) {
            return Containers.alertmanager(configYaml);
        }
        Path binary = bin.orElseGet(() -> Binaries.missing(Binaries.ALERTMANAGER, "prometheus-alertmanager"));
        return inTempDir("alertmanager", dir -> {
            Path config = Files.writeString(dir.resolve("alertmanager.yml"), configYaml);
            // Without an empty --cluster.listen-address it also binds 0.0.0.0:9094 for gossip.
            Started s = launch("alertmanager", dir, Map.of(), port -> List.of(binary.toString(), "--config.file=" + config,
                    "--storage.path=" + dir.resolve("data"), "--web.listen-address=" + LOOPBACK + ":" + port,
                    "--cluster.listen-address="), port -> Probe.http(url(port, "/-/ready")));
            return new RealServer("alertmanager", LOOPBACK, s.port, dir, s.log, s.process);
        });
    }

    /**
     * prometheus-node-exporter with the default collectors but systemd (Debian turns it on; it needs a system D-Bus,
     * which a container lacks). The textfile collector reads workDir()/textfile, so a test can add metrics there.
     */
    public static RealServer nodeExporter() {
        Path binary = Binaries.orSkip(Binaries.NODE_EXPORTER, "prometheus-node-exporter");
        return inTempDir("node-exporter", dir -> {
            Path textfiles = Files.createDirectory(dir.resolve("textfile"));
            Started s = launch("node-exporter", dir, Map.of(), port -> List.of(binary.toString(),
                    "--web.listen-address=" + LOOPBACK + ":" + port, "--no-collector.systemd",
                    "--collector.textfile.directory=" + textfiles), port -> Probe.http(url(port, "/metrics")));
            return new RealServer("node-exporter", LOOPBACK, s.port, dir, s.log, s.process);
        });
    }

    /**
     * rsyslogd in the foreground with its own config, pid file and work directory. The config loads only imtcp on
     * 127.0.0.1:port() (no imuxsock, so the host's /dev/log is left alone, and no imklog or imjournal, which need
     * privileges or systemd), then confBody: the test's rules, e.g. {@link RsyslogServer#forwardTcp(int)}. TCP rather
     * than a private imuxsock socket because it works the same as root and unprivileged and gives a port to probe.
     */
    public static RsyslogServer rsyslog(String confBody) {
        Path binary = Binaries.orSkip(Binaries.RSYSLOGD, "rsyslog");
        Binaries.orSkip(Binaries.LOGGER, "bsdutils");
        return inTempDir("rsyslog", dir -> {
            Path work = Files.createDirectory(dir.resolve("work"));
            Path conf = dir.resolve("rsyslog.conf");
            Started s = launch("rsyslogd", dir, Map.of(), port -> {
                writeRsyslogConf(conf, work, port, confBody);
                // rsyslogd starts despite most config errors: validate first, so a typo fails here, with rsyslog's words.
                Commands.runOrFail("rsyslogd -N1 (config check)", List.of(binary.toString(), "-N1", "-f", conf.toString()),
                        dir, SETUP_TIMEOUT);
                return List.of(binary.toString(), "-n", "-f", conf.toString(), "-i", dir.resolve("rsyslogd.pid").toString());
            }, port -> Probe.tcp(LOOPBACK, port));
            return new RsyslogServer(s.port, dir, s.log, s.process);
        });
    }

    private static void writeRsyslogConf(Path conf, Path work, int port, String confBody) {
        try {
            Files.writeString(conf, "# Written by RealServers for one test.\n"
                    + "global(workDirectory=\"" + work + "\" net.enableDNS=\"off\")\n"
                    + "module(load=\"imtcp\")\n"
                    + "input(type=\"imtcp\" address=\"" + LOOPBACK + "\" port=\"" + port + "\")\n"
                    + "# The test's rules:\n" + confBody + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A throwaway PostgreSQL cluster: initdb (superuser postgres, trust auth) in a temp directory, then postgres on
     * 127.0.0.1 with its Unix socket in that directory too. PostgreSQL refuses to run as root, so as root every
     * PostgreSQL command runs as the postgres user through runuser, and the directory is handed to that user.
     */
    public static PostgresServer postgres() {
        Path bin = Binaries.postgresBinDirOrSkip();
        Binaries.orSkip(Binaries.PSQL, "postgresql-client");
        List<String> runAs = isRoot() ? List.of("runuser", "-u", PostgresServer.USER, "--") : List.of();
        return inTempDir("postgres", dir -> {
            if (isRoot()) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(PostgresServer.USER);
                Files.setOwner(dir, postgres);
            }
            Path data = dir.resolve("data");
            // --locale=C: a container often has no other locale; --no-sync: the cluster is thrown away.
            Commands.runOrFail("initdb", concat(runAs, bin.resolve("initdb").toString(), "-D", data.toString(),
                    "-U", PostgresServer.USER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"), dir, SETUP_TIMEOUT);
            Started s = launch("postgres", dir, Map.of(), port -> concat(runAs, bin.resolve("postgres").toString(),
                    "-D", data.toString(), "-p", Integer.toString(port), "-k", dir.toString(),
                    "-c", "listen_addresses=" + LOOPBACK, "-c", "fsync=off", "-c", "full_page_writes=off"),
                    // pg_isready, not a TCP connect: the port is open while the server still refuses connections.
                    port -> Probe.command(List.of(bin.resolve("pg_isready").toString(), "-q", "-h", LOOPBACK,
                            "-p", Integer.toString(port), "-U", PostgresServer.USER), dir),
                    // A fast shutdown: a plain SIGTERM is a "smart" one that waits for every client to disconnect.
                    port -> () -> Commands.run(concat(runAs, bin.resolve("pg_ctl").toString(), "stop", "-D", data.toString(),
                            "-m", "fast", "-w", "-t", "10"), dir, Duration.ofSeconds(15)));
            return new PostgresServer(s.port, dir, s.log, s.process, runAs);
        });
    }

    /** prometheus-postgres-exporter for that cluster, through DATA_SOURCE_NAME. */
    public static RealServer postgresExporter(PostgresServer postgres) {
        Path binary = Binaries.orSkip(Binaries.POSTGRES_EXPORTER, "prometheus-postgres-exporter");
        return inTempDir("postgres-exporter", dir -> {
            Started s = launch("postgres-exporter", dir, Map.of("DATA_SOURCE_NAME", postgres.dataSourceName()),
                    port -> List.of(binary.toString(), "--web.listen-address=" + LOOPBACK + ":" + port),
                    port -> Probe.http(url(port, "/metrics")));
            return new RealServer("postgres-exporter", LOOPBACK, s.port, dir, s.log, s.process);
        });
    }

    /** A port free on 127.0.0.1 right now (bound and released). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + LOOPBACK, e);
        }
    }

    private record Started(ServerProcess process, int port, Path log) {
    }

    /** Like the full {@code launch}, for servers that stop well on SIGTERM. */
    private static Started launch(String name, Path dir, Map<String, String> env, IntFunction<List<String>> command,
            IntFunction<Probe> probe) throws IOException {
        return launch(name, dir, env, command, probe, port -> () -> {
        });
    }

    /**
     * Starts the server on a free port and waits until it is ready; starts again on another port when it exited because
     * its port was taken meanwhile. A server that does not start is stopped before the error is thrown.
     */
    private static Started launch(String name, Path dir, Map<String, String> env, IntFunction<List<String>> command,
            IntFunction<Probe> probe, IntFunction<Runnable> beforeStop) throws IOException {
        Path log = dir.resolve(name + ".log");
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            ServerProcess process = ServerProcess.start(name, command.apply(port), dir, log, env, beforeStop.apply(port));
            try {
                process.awaitReady(probe.apply(port));
                return new Started(process, port, log);
            } catch (RuntimeException | AssertionError e) {
                boolean portTaken = process.exitedEarly() && RealServer.tail(log, 40).toLowerCase().contains("address already in use");
                process.stop();
                if (!portTaken || attempt == START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** What a factory does in its temp directory; the directory is removed when it fails. */
    private interface InDir<T> {
        T start(Path dir) throws IOException;
    }

    private static <T> T inTempDir(String name, InDir<T> start) {
        Path dir = TempDirs.create(name);
        try {
            return start.start(dir);
        } catch (IOException e) {
            TempDirs.delete(dir);
            throw new UncheckedIOException("cannot start " + name, e);
        } catch (RuntimeException | Error e) {
            TempDirs.delete(dir);
            throw e;
        }
    }

    private static String url(int port, String path) {
        return "http://" + LOOPBACK + ":" + port + path;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> concat(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(Arrays.asList(rest));
        return all;
    }
}
