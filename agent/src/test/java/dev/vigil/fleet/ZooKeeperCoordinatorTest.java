package dev.vigil.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.InstanceSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract against a real three-server ZooKeeper ensemble, plus what only a real ensemble can show (tokens,
 * sessions, quorum). Each subclass says where the ensemble comes from: Curator's in-process servers or Debian's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ZooKeeperCoordinatorTest extends FleetCoordinatorContract {
    private static final AtomicInteger FLEETS = new AtomicInteger();
    private Ensemble ensemble;

    /** Three servers that can be stopped one by one. */
    interface Ensemble extends AutoCloseable {
        String connectString();

        void stop(int server) throws Exception;
    }

    /** A new ensemble of three servers, started. */
    protected abstract Ensemble startEnsemble() throws Exception;

    @BeforeAll
    void start() throws Exception {
        ensemble = startEnsemble();
    }

    @AfterAll
    void stop() throws Exception {
        ensemble.close();
    }

    @Override
    protected List<FleetCoordinator> fleetOf(int n, FleetLimits limits) throws FleetException {
        return agents(ensemble.connectString(), n, limits, Duration.ofSeconds(6));
    }

    private List<FleetCoordinator> agents(String connect, int n, FleetLimits limits, Duration session) throws FleetException {
        ZooKeeperSettings settings = new ZooKeeperSettings(connect, "fleet-" + FLEETS.incrementAndGet(), session, Duration.ofSeconds(5));
        List<FleetCoordinator> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ZooKeeperCoordinator c = ZooKeeperCoordinator.start(settings, "agent-" + i, limits, clock);
            c.joinLeaderElection();
            out.add(c);
        }
        return out;
    }

    @Test
    void aStaleTokenIsRefusedWhereTheActionRuns() throws Exception {
        List<FleetCoordinator> agents = fleet(2);
        FencingGate executor = new FencingGate(10_000);
        Grant old = assertInstanceOf(GrantResult.Granted.class, agents.get(0).request(restart("app-1", 20, null))).grant();
        agents.get(0).release(old);
        GrantRequest next = new GrantRequest("heap-dump", "memory-leak", "checkout", "app-1", 20, Duration.ofMinutes(10),
                java.util.OptionalInt.empty(), java.util.OptionalInt.empty(), 10, Duration.ZERO);
        Grant newer = assertInstanceOf(GrantResult.Granted.class, agents.get(1).request(next)).grant();
        assertTrue(newer.token() > old.token(), "tokens only grow: " + old.token() + " then " + newer.token());

        assertTrue(executor.admit(newer));
        assertFalse(executor.admit(old), "the older grant arrives late and is refused");
    }

    @Test
    void anAgentWhoseSessionEndsStopsBeforeItsNextStep() throws Exception {
        List<FleetCoordinator> agents = fleet(2);
        ZooKeeperCoordinator a = (ZooKeeperCoordinator) agents.get(0);
        Grant g = assertInstanceOf(GrantResult.Granted.class, a.request(restart("app-1", 20, null))).grant();
        assertTrue(a.mayProceed(g));

        a.expireSessionForTest();
        awaitTrue(Duration.ofSeconds(10), () -> !a.mayProceed(g));
        // the lock goes with the session once the ensemble expires it: another agent then takes the target, with a
        // higher token
        GrantRequest next = new GrantRequest("heap-dump", "memory-leak", "checkout", "app-1", 20, Duration.ofMinutes(10),
                java.util.OptionalInt.empty(), java.util.OptionalInt.empty(), 10, Duration.ZERO);
        java.util.concurrent.atomic.AtomicReference<GrantResult> taken = new java.util.concurrent.atomic.AtomicReference<>();
        awaitTrue(Duration.ofSeconds(15), () -> {
            taken.set(agents.get(1).request(next));
            return taken.get() instanceof GrantResult.Granted;
        });
        assertTrue(((GrantResult.Granted) taken.get()).grant().token() > g.token());
    }

    @Test
    void aDeposedLeaderCannotWriteHoldsEvenIfItStillBelievesItLeads() throws Exception {
        List<FleetCoordinator> agents = fleet(2);
        ZooKeeperCoordinator old = (ZooKeeperCoordinator) leaderOf(agents);
        String fence = old.leaderPath().orElseThrow();
        Hold hold = Hold.of(old.fleet(), "checkout", "postgres", "postgres is suspected down");

        old.expireSessionForTest(); // a partition, or a pause longer than the session
        FleetCoordinator successor = agents.get(0) == old ? agents.get(1) : agents.get(0);
        awaitTrue(Duration.ofSeconds(15), successor::leads);
        // the old leader's write, fenced by the latch node it led with, fails as a whole
        assertFalse(old.writeHolds(List.of(hold), fence), "the deposed leader's latch node is gone");
        assertEquals(List.of(), successor.holds(), "nothing was written");
        assertFalse(old.raiseIncident("fleet-00000000000000bb", "postgres down", fence), "nor an incident raised");
        // the same agent, reconnected, writes under the fence of the agent that leads now: the fence alone refused it
        String current = ((ZooKeeperCoordinator) successor).leaderPath().orElseThrow();
        awaitTrue(Duration.ofSeconds(15), () -> old.writeHolds(List.of(hold), current));
        assertEquals(List.of(hold), successor.holds());
        assertTrue(successor.replaceHolds(List.of()), "the leader writes under its own fence");
        assertTrue(successor.raiseLeaderIncident("fleet-00000000000000bb", "postgres down"), "the deposed leader's attempt left nothing");
        assertEquals(List.of(), successor.holds());
    }

    @Test
    void withoutAQuorumNoGrantIsGivenAndTheRefusalFailsClosed() throws Exception {
        try (Ensemble small = startEnsemble()) {
            List<FleetCoordinator> agents = agents(small.connectString(), 1, FleetLimits.DEFAULTS, Duration.ofSeconds(6));
            try {
                FleetCoordinator a = agents.get(0);
                assertInstanceOf(GrantResult.Granted.class, a.request(restart("app-1", 20, null)));
                small.stop(0);
                small.stop(1);
                awaitTrue(Duration.ofSeconds(20), () -> a.request(restart("app-2", 20, null)) instanceof GrantResult.Refused r && r.failClosed());
                GrantResult.Refused r = assertInstanceOf(GrantResult.Refused.class, a.request(restart("app-3", 20, null)));
                assertTrue(r.failClosed(), r.reason());
                assertTrue(r.reason().contains("no grant"), r.reason());
            } finally {
                agents.forEach(FleetCoordinator::close);
            }
        }
    }

    @Test
    void anUnreachableEnsembleFailsAtStartWithItsAddress() {
        int port = InstanceSpec.getRandomPort(); // nothing listens there
        ZooKeeperSettings settings = new ZooKeeperSettings("127.0.0.1:" + port, "nobody", Duration.ofSeconds(6), Duration.ofMillis(500));
        FleetException e = org.junit.jupiter.api.Assertions.assertThrows(FleetException.class,
                () -> ZooKeeperCoordinator.start(settings, "agent", FleetLimits.DEFAULTS, clock));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }
}
