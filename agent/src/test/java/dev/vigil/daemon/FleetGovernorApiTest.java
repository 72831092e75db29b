package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.api.Tokens;
import dev.vigil.fleet.FleetLimits;
import dev.vigil.fleet.ZooKeeperCoordinator;
import dev.vigil.fleet.ZooKeeperSettings;
import dev.vigil.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In a fleet, the governor API's kill switch is the fleet's: every agent sees it within a second. */
class FleetGovernorApiTest {
    private static final String GOVERNOR = "governor-token-0123456789";
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> killSwitch(TestDaemon running, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(running.base() + "/api/v1/kill-switch"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + GOVERNOR)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aGovernorsKillSwitchStopsTheWholeFleetAndIsReleasedForItToo(@TempDir Path tmp) throws Exception {
        try (TestingServer zk = new TestingServer(true);
             TestDaemon running = TestDaemon.start("""
                     listen: {host: 127.0.0.1, port: 0}
                     data_dir: %s
                     mode: execute
                     host_probe: {enabled: false}
                     fleet: {zookeeper: "%s", name: ops, session_timeout: 6s}
                     api:
                       tokens:
                         - {name: alice, sha256: %s, role: governor}
                     """.formatted(tmp.resolve("data"), zk.getConnectString(), Tokens.sha256(GOVERNOR)));
             ZooKeeperCoordinator otherAgent = ZooKeeperCoordinator.start(new ZooKeeperSettings(zk.getConnectString(), "ops",
                     Duration.ofSeconds(6), Duration.ofSeconds(5)), "other-agent", FleetLimits.DEFAULTS, InstantSource.system())) {
            HttpResponse<String> on = killSwitch(running, "{\"engaged\":true,\"reason\":\"incident 7\"}");
            assertEquals(200, on.statusCode(), on.body());
            assertTrue(on.body().contains("\"kill_switch\":true"), on.body());
            Await.until(Duration.ofSeconds(1), "the other agent sees the fleet's kill switch", otherAgent::killSwitchOn);

            HttpResponse<String> off = killSwitch(running, "{\"engaged\":false}");
            assertEquals(200, off.statusCode(), off.body());
            Await.until(Duration.ofSeconds(1), "the other agent sees it released", () -> !otherAgent.killSwitchOn());
        }
    }
}
