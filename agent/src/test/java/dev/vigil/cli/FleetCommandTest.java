package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fleet.FleetLimits;
import dev.vigil.fleet.ZooKeeperCoordinator;
import dev.vigil.fleet.ZooKeeperSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

class FleetCommandTest {
    @Test
    void theKillSwitchCommandReachesEveryAgentOfTheFleet() throws Exception {
        try (TestingServer zk = new TestingServer()) {
            ZooKeeperSettings settings = new ZooKeeperSettings(zk.getConnectString(), "prod", Duration.ofSeconds(6), Duration.ofSeconds(5));
            try (ZooKeeperCoordinator agent = ZooKeeperCoordinator.start(settings, "app-1", FleetLimits.DEFAULTS, Clock.systemUTC())) {
                assertTrue(!agent.killSwitchOn());
                StringWriter out = new StringWriter();
                int code = Main.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                        "fleet", "kill-switch", "on", "--zookeeper", zk.getConnectString(), "--fleet", "prod", "--by", "alice");
                assertEquals(0, code);
                assertEquals("fleet prod: kill switch on (by alice)", out.toString().trim());
                assertTrue(within(Duration.ofSeconds(1), agent::killSwitchOn), "the agent's watch sees it within a second");

                Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true),
                        "fleet", "kill-switch", "off", "--zookeeper", zk.getConnectString(), "--fleet", "prod");
                assertTrue(within(Duration.ofSeconds(1), () -> !agent.killSwitchOn()), "off again within a second");
            }
        }
    }

    private static boolean within(Duration limit, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    @Test
    void anUnreachableEnsembleIsNamedAndExitsOne() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "fleet", "kill-switch", "on", "--zookeeper", "127.0.0.1:1", "--fleet", "prod");
        assertEquals(1, code);
        assertTrue(err.toString().contains("127.0.0.1:1"), err.toString());
    }
}
