package dev.vigil.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A ZooKeeper ensemble of real servers from Debian's {@code zookeeper} package (QuorumPeerMain from
 * /usr/share/java/zookeeper.jar, started with this JVM's java), each on 127.0.0.1 with its own ports and data
 * directory. Skips when the package is absent (fails under CI=true). Close it to stop every server and remove the
 * directory.
 */
public final class ZooKeeperEnsemble implements AutoCloseable {
    public static final String JAR = "/usr/share/java/zookeeper.jar";
    private static final String MAIN = "org.apache.zookeeper.server.quorum.QuorumPeerMain";

    private final Path dir;
    private final List<ServerProcess> servers;
    private final String connect;

    private ZooKeeperEnsemble(Path dir, List<ServerProcess> servers, String connect) {
        this.dir = dir;
        this.servers = servers;
        this.connect = connect;
    }

    /** Starts {@code size} servers (1 or an odd number) and returns once each serves as part of the quorum. */
    public static ZooKeeperEnsemble start(int size) {
        if (!Files.isRegularFile(Path.of(JAR))) {
            Binaries.missing(JAR, "zookeeper");
        }
        Path dir = TempDirs.create("zookeeper");
        List<ServerProcess> started = new ArrayList<>();
        try {
            int[] client = new int[size];
            StringJoiner peers = new StringJoiner("\n");
            StringJoiner connect = new StringJoiner(",");
            for (int i = 0; i < size; i++) {
                client[i] = RealServers.freePort();
                peers.add("server." + (i + 1) + "=" + RealServers.LOOPBACK + ":" + RealServers.freePort() + ":" + RealServers.freePort());
                connect.add(RealServers.LOOPBACK + ":" + client[i]);
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            for (int i = 0; i < size; i++) {
                Path data = Files.createDirectories(dir.resolve("data-" + (i + 1)));
                Files.writeString(data.resolve("myid"), Integer.toString(i + 1));
                Path cfg = Files.writeString(dir.resolve("zoo-" + (i + 1) + ".cfg"), String.join("\n",
                        "tickTime=500", "initLimit=20", "syncLimit=5", "dataDir=" + data, "clientPort=" + client[i],
                        "clientPortAddress=" + RealServers.LOOPBACK, "admin.enableServer=false", "4lw.commands.whitelist=srvr",
                        "maxSessionTimeout=30000", peers.toString(), ""));
                ServerProcess p = ServerProcess.start("zookeeper-" + (i + 1), List.of(java, "-Xmx128m", "-cp", JAR, MAIN,
                        cfg.toString()), dir, dir.resolve("zookeeper-" + (i + 1) + ".log"), Map.of(), () -> {
                        });
                started.add(p);
            }
            for (int i = 0; i < size; i++) {
                started.get(i).awaitReady(Probe.zookeeper(RealServers.LOOPBACK, client[i]));
            }
            return new ZooKeeperEnsemble(dir, started, connect.toString());
        } catch (IOException e) {
            started.forEach(ServerProcess::stop);
            TempDirs.delete(dir);
            throw new UncheckedIOException("cannot start a ZooKeeper ensemble", e);
        } catch (RuntimeException | Error e) {
            started.forEach(ServerProcess::stop);
            TempDirs.delete(dir);
            throw e;
        }
    }

    /** The connect string of every server, for a client. */
    public String connectString() {
        return connect;
    }

    /** Stops server {@code index} (from 0), as a crash or a partition of that host would. */
    public void stop(int index) {
        servers.get(index).stop();
    }

    @Override
    public void close() {
        servers.forEach(ServerProcess::stop);
        TempDirs.delete(dir);
    }
}
