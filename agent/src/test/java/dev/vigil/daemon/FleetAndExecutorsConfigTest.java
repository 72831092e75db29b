package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FleetAndExecutorsConfigTest {
    @Test
    void withoutTheSectionsTheAgentIsAFleetOfOneWithNoSqlOrKubernetesExecutor() {
        DaemonConfig c = DaemonConfig.defaults();
        assertTrue(c.fleet().zookeeper().isEmpty());
        assertTrue(c.executors().sql().byName().isEmpty());
        assertTrue(c.executors().kubernetes().isEmpty());
    }

    @Test
    void theFleetSectionNamesTheEnsembleTheFleetAndItsLimits() throws ContentException {
        DaemonConfig c = DaemonConfig.parse(new ContentFile("vigil.yaml", """
                fleet: {zookeeper: "zk1:2181,zk2:2181,zk3:2181", name: prod, session_timeout: 12s, shared_cause_hosts: 4}
                """));
        assertEquals("zk1:2181,zk2:2181,zk3:2181", c.fleet().zookeeper().orElseThrow().connect());
        assertEquals("prod", c.fleet().zookeeper().orElseThrow().fleet());
        assertEquals(Duration.ofSeconds(12), c.fleet().zookeeper().orElseThrow().sessionTimeout());
        assertEquals(4, c.fleet().limits().sharedCauseHosts());
    }

    @Test
    void theSettleDelayAndTheCorrelatorAreSetUnderFleet() throws ContentException {
        DaemonConfig c = DaemonConfig.parse(new ContentFile("vigil.yaml", """
                fleet:
                  zookeeper: "zk1:2181"
                  name: prod
                  settle: 5s
                  shared_cause_percent: 25
                  correlator: {enabled: false, every: 2s, min_dependents: 3}
                """));
        assertEquals(Duration.ofSeconds(5), c.fleet().limits().settle());
        assertEquals(25, c.fleet().limits().sharedCausePercent());
        assertEquals(new FleetConfig.Correlator(false, Duration.ofSeconds(2), 3), c.fleet().correlator());
        assertEquals(FleetConfig.Correlator.DEFAULTS, DaemonConfig.parse(new ContentFile("vigil.yaml",
                "fleet: {zookeeper: \"zk1:2181\", name: prod}\n")).fleet().correlator(), "every agent stands by default");

        ContentException e = assertThrows(ContentException.class, () -> DaemonConfig.parse(new ContentFile("vigil.yaml", """
                fleet:
                  zookeeper: "zk1:2181"
                  name: prod
                  correlator: {min_dependents: 1}
                """)));
        assertTrue(e.getMessage().contains("vigil.yaml:4: fleet.correlator.min_dependents"), e.getMessage());
    }

    @Test
    void aBadFleetOrExecutorsSectionFailsAtStartNamingLineAndField() {
        ContentException e = assertThrows(ContentException.class, () -> DaemonConfig.parse(new ContentFile("vigil.yaml", """
                fleet: {zookeeper: "zk1:2181", name: Prod_Fleet}
                executors:
                  sql:
                    connections:
                      orders: {url: "mysql://db-1/orders", user: vigil}
                  kubernetes: {kubeconfig: /nonexistent/kubeconfig}
                """)));
        String m = e.getMessage();
        assertTrue(m.contains("vigil.yaml:1: fleet.name"), m);
        assertTrue(m.contains("vigil.yaml:5: executors.sql.connections.orders.url"), m);
    }

    @Test
    void aSqlConnectionNamesItsPasswordSourceAndTheKubeconfigMustBeReadable() throws Exception {
        DaemonConfig c = DaemonConfig.parse(new ContentFile("vigil.yaml", """
                executors:
                  sql:
                    connections:
                      orders-db: {url: "jdbc:postgresql://db-1:5432/orders", user: vigil, password_env: ORDERS_DB_PASSWORD}
                """));
        assertEquals("jdbc:postgresql://db-1:5432/orders", c.executors().sql().byName().get("orders-db").url());

        ContentException e = assertThrows(ContentException.class, () -> DaemonConfig.parse(new ContentFile("vigil.yaml",
                "executors:\n  kubernetes: {kubeconfig: /nonexistent/kubeconfig}\n")));
        assertTrue(e.getMessage().contains("cannot read /nonexistent/kubeconfig"), e.getMessage());
    }
}
