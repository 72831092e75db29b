package dev.vigil.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FleetCoordinator} must do, whatever holds its state. Each implementation's test extends this and
 * says how to make the coordinators of one fleet (one per agent; a fleet of one may hand out the same coordinator).
 */
abstract class FleetCoordinatorContract {
    protected final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    protected final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final List<FleetCoordinator> made = new ArrayList<>();

    /** {@code n} coordinators of one new fleet, as {@code n} agents would hold them. */
    protected abstract List<FleetCoordinator> fleetOf(int n, FleetLimits limits) throws Exception;

    protected List<FleetCoordinator> fleet(int n) throws Exception {
        return fleet(n, FleetLimits.DEFAULTS);
    }

    protected List<FleetCoordinator> fleet(int n, FleetLimits limits) throws Exception {
        List<FleetCoordinator> f = fleetOf(n, limits);
        made.addAll(f);
        return f;
    }

    @AfterEach
    void closeAll() {
        made.stream().distinct().forEach(FleetCoordinator::close);
    }

    static GrantRequest restart(String target, int instances, Integer maxPercent) {
        return new GrantRequest("restart-service", "memory-leak", "checkout", target, instances, Duration.ofMinutes(10),
                OptionalInt.empty(), maxPercent == null ? OptionalInt.empty() : OptionalInt.of(maxPercent), 100,
                Duration.ofMinutes(30));
    }

    @Test
    void aSecondRunOnTheSameTargetWaitsForTheCooldown() throws Exception {
        FleetCoordinator a = fleet(1).get(0);
        Grant first = assertInstanceOf(GrantResult.Granted.class, a.request(restart("app-1", 20, null))).grant();
        a.release(first);
        now.addAndGet(Duration.ofMinutes(29).toMillis());
        GrantResult.Refused again = assertInstanceOf(GrantResult.Refused.class, a.request(restart("app-1", 20, null)));
        assertEquals(GrantResult.Reason.COOLDOWN, again.kind(), again.reason());
        now.addAndGet(Duration.ofMinutes(2).toMillis());
        assertInstanceOf(GrantResult.Granted.class, a.request(restart("app-1", 20, null)));
    }

    @Test
    void theShareOfAServiceActedOnHoldsAcrossAgentsRacingForIt() throws Exception {
        List<FleetCoordinator> agents = fleet(4);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<GrantResult>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                FleetCoordinator agent = agents.get(i % agents.size());
                GrantRequest r = restart("app-" + i, 20, 10); // at most 10 % of 20 instances: 2
                answers.add(pool.submit((Callable<GrantResult>) () -> agent.request(r)));
            }
            int granted = 0;
            for (Future<GrantResult> f : answers) {
                GrantResult g = f.get();
                if (g instanceof GrantResult.Granted) {
                    granted++;
                } else {
                    GrantResult.Reason why = ((GrantResult.Refused) g).kind();
                    assertTrue(why == GrantResult.Reason.BLAST_RADIUS || why == GrantResult.Reason.CONTENTION, g.toString());
                }
            }
            assertEquals(2, granted, "10 % of 20 instances, fleet-wide");
        } finally {
            pool.shutdownNow();
        }
        now.addAndGet(Duration.ofMinutes(11).toMillis());
        assertInstanceOf(GrantResult.Granted.class, agents.get(0).request(restart("app-19", 20, 10)), "the window moved on");
    }

    @Test
    void oneTargetIsActedOnByOneAgentAtATime() throws Exception {
        List<FleetCoordinator> agents = fleet(2);
        Grant held = assertInstanceOf(GrantResult.Granted.class, agents.get(0).request(restart("app-1", 20, null))).grant();
        GrantRequest other = new GrantRequest("heap-dump", "memory-leak", "checkout", "app-1", 20, Duration.ofMinutes(10),
                OptionalInt.empty(), OptionalInt.empty(), 10, Duration.ZERO);
        GrantResult.Refused busy = assertInstanceOf(GrantResult.Refused.class, agents.get(1).request(other));
        assertEquals(GrantResult.Reason.LOCKED, busy.kind(), busy.reason());
        assertTrue(busy.retryable());
        agents.get(0).release(held);
        assertFalse(agents.get(0).mayProceed(held), "a released grant is spent");
        assertInstanceOf(GrantResult.Granted.class, agents.get(1).request(other));
    }

    @Test
    void theKillSwitchStopsGrantsAndRunningActionsEverywhere() throws Exception {
        List<FleetCoordinator> agents = fleet(2);
        Grant running = assertInstanceOf(GrantResult.Granted.class, agents.get(1).request(restart("app-1", 20, null))).grant();
        assertTrue(agents.get(1).mayProceed(running));

        agents.get(0).setKillSwitch(true, "governor alice");
        awaitTrue(Duration.ofSeconds(1), () -> agents.get(1).killSwitchOn());
        assertFalse(agents.get(1).mayProceed(running), "the next step does not start");
        GrantResult.Refused refused = assertInstanceOf(GrantResult.Refused.class, agents.get(1).request(restart("app-2", 20, null)));
        assertEquals(GrantResult.Reason.KILL_SWITCH, refused.kind(), refused.reason());

        agents.get(0).setKillSwitch(false, "governor alice");
        awaitTrue(Duration.ofSeconds(1), () -> !agents.get(1).killSwitchOn());
        assertInstanceOf(GrantResult.Granted.class, agents.get(1).request(restart("app-2", 20, null)));
    }

    @Test
    void anUnknownInstanceCountIsRefusedNeverTakenAsAll() throws Exception {
        GrantResult.Refused r = assertInstanceOf(GrantResult.Refused.class, fleet(1).get(0).request(restart("app-1", 0, 10)));
        assertTrue(r.reason().contains("never all"), r.reason());
    }

    @Test
    void thePlaybooksHourlyRateHoldsFleetWide() throws Exception {
        List<FleetCoordinator> agents = fleet(2);
        for (int i = 0; i < 3; i++) {
            GrantRequest r = new GrantRequest("clean-tmp-files", "disk-full", "svc" + i, "host-" + i, 1, Duration.ofMinutes(10),
                    OptionalInt.empty(), OptionalInt.empty(), 3, Duration.ZERO);
            assertInstanceOf(GrantResult.Granted.class, agents.get(i % 2).request(r));
        }
        GrantRequest fourth = new GrantRequest("clean-tmp-files", "disk-full", "svc9", "host-9", 1, Duration.ofMinutes(10),
                OptionalInt.empty(), OptionalInt.empty(), 3, Duration.ZERO);
        GrantResult.Refused r = assertInstanceOf(GrantResult.Refused.class, agents.get(1).request(fourth));
        assertEquals(GrantResult.Reason.RATE, r.kind(), r.reason());
    }

    @Test
    void oneSignatureOnManyHostsIsOneSharedCauseNotManyActions() throws Exception {
        List<FleetCoordinator> agents = fleet(3);
        for (int i = 0; i < 3; i++) {
            agents.get(i).publishDiagnosis("memory-leak", "checkout", "app-" + i);
        }
        GrantResult.Refused r0 = assertInstanceOf(GrantResult.Refused.class, agents.get(0).request(restart("app-0", 20, null)));
        GrantResult.Refused r2 = assertInstanceOf(GrantResult.Refused.class, agents.get(2).request(restart("app-2", 20, null)));
        assertEquals(GrantResult.Reason.SHARED_CAUSE, r0.kind(), r0.reason());
        assertEquals(List.of("app-0", "app-1", "app-2"), r0.sharedCause().hosts());
        assertEquals(r0.sharedCause().incident(), r2.sharedCause().incident(), "one fleet incident, whoever asks");
        assertFalse(r0.retryable());

        agents.get(1).withdrawDiagnosis("memory-leak", "checkout", "app-1");
        agents.get(2).withdrawDiagnosis("memory-leak", "checkout", "app-2");
        assertInstanceOf(GrantResult.Granted.class, agents.get(0).request(restart("app-0", 20, null)));
    }

    /** The agent of {@code agents} that leads the correlator, once one does (a fleet of one leads itself). */
    protected static FleetCoordinator leaderOf(List<FleetCoordinator> agents) throws InterruptedException {
        awaitTrue(Duration.ofSeconds(10), () -> agents.stream().anyMatch(FleetCoordinator::leads));
        List<FleetCoordinator> leaders = agents.stream().filter(FleetCoordinator::leads).distinct().toList();
        assertEquals(1, leaders.size(), "one correlator leads the fleet");
        return leaders.get(0);
    }

    @Test
    void aHeldServiceGetsNoGrantFromAnyAgentUntilTheCorrelatorLiftsTheHold() throws Exception {
        List<FleetCoordinator> agents = fleet(2);
        FleetCoordinator leader = leaderOf(agents);
        Hold hold = Hold.of(leader.fleet(), "checkout", "postgres", "postgres is suspected down");
        assertTrue(leader.replaceHolds(List.of(hold)));
        assertEquals(List.of(hold), agents.get(1).holds(), "every agent sees the hold");
        for (FleetCoordinator a : agents) {
            GrantResult.Refused r = assertInstanceOf(GrantResult.Refused.class, a.request(restart("app-1", 20, null)));
            assertEquals(GrantResult.Reason.HELD, r.kind(), r.reason());
            assertTrue(r.reason().contains(hold.id()) && r.reason().contains("postgres is suspected down"), r.reason());
            assertTrue(r.retryable(), "a hold is lifted once the dependency recovers");
        }
        GrantRequest elsewhere = new GrantRequest("clean-tmp-files", "disk-full", "billing", "db-9", 1, Duration.ofMinutes(10),
                OptionalInt.empty(), OptionalInt.empty(), 3, Duration.ZERO);
        assertInstanceOf(GrantResult.Granted.class, agents.get(1).request(elsewhere), "other services are not held");

        assertTrue(leader.replaceHolds(List.of()));
        assertEquals(List.of(), agents.get(1).holds());
        assertInstanceOf(GrantResult.Granted.class, agents.get(1).request(restart("app-1", 20, null)));
    }

    @Test
    void aSharedCauseHoldRefusesOnlyItsSignatureOnItsService() throws Exception {
        List<FleetCoordinator> agents = fleet(2);
        FleetCoordinator leader = leaderOf(agents);
        assertTrue(leader.replaceHolds(List.of(Hold.sharedCause(leader.fleet(), "checkout", "memory-leak", "on 3 hosts"))));
        GrantResult.Refused r = assertInstanceOf(GrantResult.Refused.class, agents.get(1).request(restart("app-1", 20, null)));
        assertEquals(GrantResult.Reason.HELD, r.kind(), r.reason());
        GrantRequest other = new GrantRequest("clean-tmp-files", "disk-full", "checkout", "app-1", 20, Duration.ofMinutes(10),
                OptionalInt.empty(), OptionalInt.empty(), 3, Duration.ZERO);
        assertInstanceOf(GrantResult.Granted.class, agents.get(1).request(other), "another signature of the service is not held");
    }

    @Test
    void onlyTheLeaderWritesHolds() throws Exception {
        List<FleetCoordinator> agents = fleet(3);
        FleetCoordinator leader = leaderOf(agents);
        Hold hold = Hold.of(leader.fleet(), "checkout", "postgres", "postgres is suspected down");
        for (FleetCoordinator a : agents) {
            if (a != leader) {
                assertFalse(a.replaceHolds(List.of(hold)), "a standby agent writes nothing");
            }
        }
        assertEquals(List.of(), leader.holds());
        for (FleetCoordinator a : agents) {
            if (a != leader) {
                assertFalse(a.raiseLeaderIncident("fleet-00000000000000aa", "postgres down"), "a standby agent raises nothing");
            }
        }
        assertTrue(leader.raiseLeaderIncident("fleet-00000000000000aa", "postgres down"));
        assertFalse(leader.raiseLeaderIncident("fleet-00000000000000aa", "postgres down"), "raised once");
        assertFalse(agents.get(agents.size() - 1).raiseIncident("fleet-00000000000000aa", "postgres down"),
                "one record for the fleet, whichever way it was raised");
    }

    @Test
    void aFleetIncidentIsRecordedOnceWhicheverAgentRaisesIt() throws Exception {
        List<FleetCoordinator> agents = fleet(3);
        List<Boolean> raised = new ArrayList<>();
        for (FleetCoordinator a : agents) {
            raised.add(a.raiseIncident("fleet-0123456789abcdef", "memory-leak on 3 hosts"));
        }
        assertEquals(1, raised.stream().filter(b -> b).count(), "told once: " + raised);
        assertTrue(raised.get(0), "the first to raise it records it");
        assertTrue(agents.get(2).raiseIncident("fleet-fedcba9876543210", "another incident"));
    }

    @Test
    void everyAgentSeesTheFleetsOpenDiagnoses() throws Exception {
        List<FleetCoordinator> agents = fleet(2);
        agents.get(0).publishDiagnosis("memory-leak", "checkout", "app-0");
        agents.get(1).publishDiagnosis("dependency-outage", "orders", "app-1");
        List<OpenDiagnosis> seen = new ArrayList<>(agents.get(0).openDiagnoses());
        seen.sort(java.util.Comparator.comparing(OpenDiagnosis::host));
        assertEquals(List.of(new OpenDiagnosis(agents.get(0).agent(), "memory-leak", "checkout", "app-0"),
                new OpenDiagnosis(agents.get(1).agent(), "dependency-outage", "orders", "app-1")), seen);
        agents.get(1).withdrawDiagnosis("dependency-outage", "orders", "app-1");
        assertEquals(1, agents.get(1).openDiagnoses().size());
    }

    @Test
    void aHostileTargetNameIsOnlyAName() throws Exception {
        FleetCoordinator a = fleet(1).get(0);
        String hostile = "../../vigil/kill-switch\n\u0000*";
        Grant g = assertInstanceOf(GrantResult.Granted.class, a.request(restart(hostile, 20, null))).grant();
        assertEquals(hostile, g.target());
        assertFalse(a.killSwitchOn());
        assertInstanceOf(GrantResult.Refused.class, a.request(restart(hostile, 20, null)), "locked under exactly that name");
    }

    protected static void awaitTrue(Duration within, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Object monitor = new Object();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within);
            }
            synchronized (monitor) {
                monitor.wait(10); // a bounded poll; nothing notifies
            }
        }
    }
}
