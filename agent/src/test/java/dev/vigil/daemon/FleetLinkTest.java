package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.decision.Decision;
import dev.vigil.decision.DecisionKind;
import dev.vigil.fact.Target;
import dev.vigil.fleet.FleetCoordinator;
import dev.vigil.fleet.FleetCorrelator;
import dev.vigil.fleet.FleetException;
import dev.vigil.fleet.FleetLimits;
import dev.vigil.fleet.Hold;
import dev.vigil.fleet.ZooKeeperCoordinator;
import dev.vigil.fleet.ZooKeeperSettings;
import dev.vigil.playbook.FleetPermits;
import dev.vigil.playbook.Playbook;
import dev.vigil.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three agents in one JVM on Curator's in-process ZooKeeper ensemble, each with its fleet link as the daemon wires it:
 * diagnoses published as they open, the settle delay before a grant, one fleet incident per shared cause, and the
 * elected correlator's holds surviving a takeover without a second incident.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetLinkTest {
    private static final AtomicInteger FLEETS = new AtomicInteger();
    private final InstantSource clock = InstantSource.fixed(Instant.ofEpochMilli(1_700_000_000_000L));
    private final List<AutoCloseable> opened = new ArrayList<>();
    private TestingCluster cluster;

    /** What an agent's fleet link told and counted. */
    private static final class Agent {
        final ZooKeeperCoordinator coordinator;
        final FleetLink link;
        final Queue<Decision> told = new ConcurrentLinkedQueue<>();
        final AtomicInteger grants = new AtomicInteger();
        final Queue<String> refusals = new ConcurrentLinkedQueue<>();

        Agent(ZooKeeperCoordinator coordinator, Duration settle, Optional<FleetCorrelator> correlator,
              Map<String, List<String>> dependsOn, InstantSource clock) {
            this.coordinator = coordinator;
            this.link = new FleetLink(coordinator, coordinator.agent(), settle, Duration.ofMinutes(10), correlator,
                    Duration.ofHours(1), () -> dependsOn, told::add, new FleetLink.Meters() {
                        @Override
                        public void granted() {
                            grants.incrementAndGet();
                        }

                        @Override
                        public void refused(String reason) {
                            refusals.add(reason);
                        }
                    }, clock);
        }
    }

    @BeforeAll
    void startEnsemble() throws Exception {
        cluster = new TestingCluster(3);
        cluster.start();
    }

    @AfterAll
    void stopEnsemble() throws Exception {
        cluster.close();
    }

    @AfterEach
    void closeAgents() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }

    private List<Agent> agents(int n, Duration settle, Optional<FleetCorrelator> correlator,
                               Map<String, List<String>> dependsOn) throws FleetException {
        ZooKeeperSettings settings = new ZooKeeperSettings(cluster.getConnectString(), "link-" + FLEETS.incrementAndGet(),
                Duration.ofSeconds(6), Duration.ofSeconds(5));
        FleetLimits limits = new FleetLimits(50, settle, 3, 30);
        List<Agent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ZooKeeperCoordinator c = ZooKeeperCoordinator.start(settings, "agent-" + i, limits, clock);
            opened.add(c);
            if (correlator.isPresent()) {
                c.joinLeaderElection();
                if (i == 0) {
                    Await.until(Duration.ofSeconds(10), "the first agent to stand leads", c::leads);
                }
            }
            Agent a = new Agent(c, settle, correlator, dependsOn, clock);
            opened.add(a.link);
            out.add(a);
        }
        return out;
    }

    private static Decision restart(String service, String host) {
        return new Decision("d-" + host, 0, "memory-leak", Target.serviceHost(service, host), 0.97, DecisionKind.EXECUTE,
                "restart-service", List.of("scored 0.97"), 0, Map.of(), Map.of());
    }

    /**
     * Agent i opens memory-leak on checkout's app-i and, as the pipeline does, asks for its restart's grant once the
     * settle delay has passed; returns the permits, once every agent has asked.
     */
    private static Queue<FleetPermits.Permit> restartEachAfterTheSettle(List<Agent> agents, Playbook restart) {
        Queue<FleetPermits.Permit> permits = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < agents.size(); i++) {
            Agent a = agents.get(i);
            Decision d = restart("checkout", "app-" + i);
            a.link.opened(d.signature(), d.target());
            a.link.afterSettle(() -> permits.add(a.link.permits().request(d, restart, d.target().host(), 20)));
        }
        Await.until(Duration.ofSeconds(20), agents.size() + " settled grant requests", () -> permits.size() == agents.size());
        return permits;
    }

    @Test
    void oneSignatureOnThreeHostsSettlesIntoOneFleetIncidentListingThemAndNoGrant() throws Exception {
        Playbook restart = TestDaemon.content().playbooks().get("restart-service").orElseThrow();
        List<Agent> agents = agents(3, Duration.ofSeconds(2), Optional.empty(), Map.of());
        Queue<FleetPermits.Permit> permits = restartEachAfterTheSettle(agents, restart);

        for (FleetPermits.Permit p : permits) {
            assertTrue(p.refusal().orElseThrow().startsWith("fleet: shared_cause: "), p.refusal().toString());
        }
        assertEquals(0, agents.stream().mapToInt(a -> a.grants.get()).sum(), "no agent acts alone on a shared cause");
        List<Decision> told = agents.stream().flatMap(a -> a.told.stream()).toList();
        assertEquals(1, told.size(), "one fleet incident, told by one agent: " + told);
        Decision incident = told.get(0);
        assertEquals(DecisionKind.NOTIFY, incident.kind());
        assertTrue(incident.id().startsWith("fleet-"), incident.id());
        assertEquals("memory-leak", incident.signature());
        assertEquals("checkout", incident.target().service());
        assertEquals("app-0,app-1,app-2", incident.evidence().get("hosts"));
        assertTrue(incident.reasons().get(incident.reasons().size() - 1).contains("holds on 3 hosts"), incident.reasons().toString());
        assertEquals(List.of("shared_cause", "shared_cause", "shared_cause"),
                agents.stream().flatMap(a -> a.refusals.stream()).toList());
    }

    @Test
    void theCorrelatorTurnsTheSharedCauseIntoOneHoldAndTellsNoSecondIncident() throws Exception {
        Playbook restart = TestDaemon.content().playbooks().get("restart-service").orElseThrow();
        List<Agent> agents = agents(3, Duration.ofSeconds(1), Optional.of(new FleetCorrelator(2, 3)), Map.of());
        Queue<FleetPermits.Permit> permits = restartEachAfterTheSettle(agents, restart);
        List<Decision> told = agents.stream().flatMap(a -> a.told.stream()).toList();
        assertEquals(1, told.size(), told.toString());

        agents.get(0).link.correlate();
        List<Hold> holds = agents.get(0).coordinator.holds();
        assertEquals(1, holds.size(), "one hold, not three restarts: " + holds);
        assertTrue(holds.get(0).covers("checkout", "memory-leak"), holds.toString());
        assertEquals(told, agents.stream().flatMap(a -> a.told.stream()).toList(),
                "the correlator's incident has the agents' id: it is not told again");
        String refusal = agents.get(2).link.permits().request(restart("checkout", "app-2"), restart, "app-2", 20)
                .refusal().orElseThrow();
        assertTrue(refusal.startsWith("fleet: shared_cause: "), "the shared cause is seen before the hold: " + refusal);
    }

    @Test
    void theElectedCorrelatorHoldsTheDependentsOfAnOutageAndATakeoverRaisesNoSecondIncident() throws Exception {
        Playbook restart = TestDaemon.content().playbooks().get("restart-service").orElseThrow();
        Map<String, List<String>> dependsOn = Map.of("checkout", List.of("postgres"), "orders", List.of("postgres"));
        List<Agent> agents = agents(3, Duration.ofSeconds(1), Optional.of(new FleetCorrelator(2, 3)), dependsOn);
        Agent leader = agents.get(0);
        // the standby agents see the dependents fail; the leader sees nothing itself
        agents.get(1).link.opened("service-down", Target.serviceHost("checkout", "app-1"));
        agents.get(2).link.opened("service-down", Target.serviceHost("orders", "app-2"));
        Await.until(Duration.ofSeconds(10), "two diagnoses published", () -> leader.coordinator.openDiagnoses().size() == 2);

        agents.get(2).link.correlate(); // a standby agent correlates nothing
        assertEquals(List.of(), leader.coordinator.holds());
        leader.link.correlate();
        List<Hold> holds = leader.coordinator.holds();
        assertEquals(List.of("checkout", "orders"), holds.stream().map(Hold::service).sorted().toList());
        assertEquals(1, leader.told.size(), leader.told.toString());
        Decision incident = leader.told.peek();
        assertEquals("postgres", incident.target().service());
        assertEquals("checkout,orders", incident.evidence().get("dependents"));
        assertEquals("app-1,app-2", incident.evidence().get("hosts"));
        String refusal = agents.get(1).link.permits().request(restart("checkout", "app-1"), restart, "app-1", 20)
                .refusal().orElseThrow();
        assertTrue(refusal.startsWith("fleet: held: ") && refusal.contains("postgres"), refusal);

        // the leader dies; a standby agent takes over and concludes the very same holds and incident
        leader.link.close();
        leader.coordinator.close();
        Agent successor = agents.get(1);
        Await.until(Duration.ofSeconds(15), "a standby agent takes over", () -> successor.coordinator.leads() || agents.get(2).coordinator.leads());
        Agent next = successor.coordinator.leads() ? successor : agents.get(2);
        next.link.correlate();
        assertEquals(holds.stream().sorted(java.util.Comparator.comparing(Hold::id)).toList(),
                next.coordinator.holds().stream().sorted(java.util.Comparator.comparing(Hold::id)).toList());
        assertEquals(0, next.told.size(), "the incident was already raised: a takeover does not tell it again");
        assertEquals(2, next.link.holds());

        // the dependents recover: their diagnoses clear, the holds lift
        agents.get(1).link.cleared("service-down", Target.serviceHost("checkout", "app-1"));
        agents.get(2).link.cleared("service-down", Target.serviceHost("orders", "app-2"));
        Await.until(Duration.ofSeconds(10), "the diagnoses withdrawn", () -> next.coordinator.openDiagnoses().isEmpty());
        next.link.correlate();
        assertEquals(List.of(), next.coordinator.holds());
        assertTrue(agents.get(1).link.permits().request(restart("checkout", "app-1"), restart, "app-1", 20).refusal().isEmpty());
    }

    @Test
    void aRunRefusedBecauseTheFleetFailsClosedBecomesANotifyWithTheReasonUnderADerivedId() throws Exception {
        Playbook restart = TestDaemon.content().playbooks().get("restart-service").orElseThrow();
        Queue<Decision[]> failedClosed = new ConcurrentLinkedQueue<>();
        try (org.apache.curator.test.TestingServer server = new org.apache.curator.test.TestingServer()) {
            ZooKeeperCoordinator c = ZooKeeperCoordinator.start(new ZooKeeperSettings(server.getConnectString(),
                    "closed-" + FLEETS.incrementAndGet(), Duration.ofSeconds(6), Duration.ofSeconds(5)),
                    "agent-0", FleetLimits.DEFAULTS, clock);
            opened.add(c);
            FleetLink link = new FleetLink(c, "agent-0", Duration.ZERO, Duration.ofMinutes(10), Optional.empty(),
                    Duration.ofHours(1), Map::of, new FleetLink.Told() {
                        @Override
                        public void incident(Decision d) {
                            throw new AssertionError("no incident expected: " + d);
                        }

                        @Override
                        public void failedClosed(Decision original, Decision instead) {
                            failedClosed.add(new Decision[] {original, instead});
                        }
                    }, FleetLink.Meters.NONE, clock);
            opened.add(link);
            server.stop(); // the only server: no quorum
            Await.until(Duration.ofSeconds(15), "the session is no longer connected", () -> !c.session().equals("connected"));

            Decision d = restart("checkout", "app-1");
            String refusal = link.permits().request(d, restart, "app-1", 20).refusal().orElseThrow();
            assertTrue(refusal.matches("fleet: (no_quorum|lock_lost): .*\\(fails closed: nothing acts\\)"), refusal);
            assertEquals(1, failedClosed.size(), "the refused decision is handed on once");
            Decision[] pair = failedClosed.peek();
            assertEquals(d, pair[0]);
            Decision notify = pair[1];
            assertEquals(DecisionKind.NOTIFY, notify.kind());
            assertEquals("d-app-1" + FleetLink.FAILED_CLOSED, notify.id(), "derived from the original's id, the same every time");
            assertEquals(d.target(), notify.target());
            assertEquals(d.playbook(), notify.playbook());
            assertEquals(d.reasons(), notify.reasons().subList(0, d.reasons().size()), "the original reasons stay");
            String last = notify.reasons().get(notify.reasons().size() - 1);
            assertTrue(last.matches("fleet: (no_quorum|lock_lost): .*fails closed.*"), last);
        }
    }
}
