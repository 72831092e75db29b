package dev.vigil.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * The Docker path, for a machine with a Docker engine but without the Debian packages: the same Prometheus and
 * Alertmanager versions as containers with the same flags. CI uses the packages, so this path is not exercised there.
 * Caveats: Docker publishes the port on all interfaces, and 127.0.0.1 in the config is the container itself (a target
 * on the host needs host.testcontainers.internal and Testcontainers.exposeHostPorts).
 */
final class Containers {
    private static final String PROMETHEUS_IMAGE = "prom/prometheus:v2.42.0";
    private static final String ALERTMANAGER_IMAGE = "prom/alertmanager:v0.25.0";

    private Containers() {
    }

    static boolean available() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static RealServer prometheus(String configYaml, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--config.file=/etc/prometheus/prometheus.yml",
                "--storage.tsdb.path=/prometheus", "--web.listen-address=:9090"));
        args.addAll(Arrays.asList(extraArgs));
        return start("prometheus", PROMETHEUS_IMAGE, "/etc/prometheus/prometheus.yml", configYaml, 9090, args);
    }

    static RealServer alertmanager(String configYaml) {
        return start("alertmanager", ALERTMANAGER_IMAGE, "/etc/alertmanager/alertmanager.yml", configYaml, 9093,
                List.of("--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager",
                        "--web.listen-address=:9093", "--cluster.listen-address="));
    }

    private static RealServer start(String name, String image, String configPath, String config, int port, List<String> args) {
        Path dir = TempDirs.create(name);
        Path log = dir.resolve(name + ".log");
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withCopyToContainer(Transferable.of(config), configPath)
                .withCommand(args.toArray(String[]::new))
                .withExposedPorts(port)
                .withLogConsumer(frame -> append(log, frame.getUtf8String()))
                .waitingFor(Wait.forHttp("/-/ready").forStatusCode(200).withStartupTimeout(ServerProcess.READY_TIMEOUT));
        try {
            container.start();
        } catch (RuntimeException e) {
            container.stop();
            String tail = RealServer.tail(log, 40);
            TempDirs.delete(dir);
            throw new AssertionError(name + " container " + image + " did not start; last lines of its log:\n" + tail, e);
        }
        return new RealServer(name, container.getHost(), container.getMappedPort(port), dir, log, container::stop);
    }

    private static void append(Path log, String text) {
        try {
            Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is for diagnostics only
        }
    }
}
