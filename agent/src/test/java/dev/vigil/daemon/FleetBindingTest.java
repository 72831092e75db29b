package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.decision.Decision;
import dev.vigil.decision.DecisionKind;
import dev.vigil.fact.Target;
import dev.vigil.fleet.FleetLimits;
import dev.vigil.fleet.LocalCoordinator;
import dev.vigil.playbook.FleetPermits;
import dev.vigil.playbook.Playbook;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner's fleet permission over a coordinator: the playbook's own limits, fleet-wide, and the kill switch. */
class FleetBindingTest {
    private final InstantSource clock = InstantSource.fixed(Instant.ofEpochMilli(1_700_000_000_000L));

    private static Decision restart(String host) {
        return new Decision("d-" + host, 0, "memory-leak", Target.serviceHost("checkout", host), 0.97, DecisionKind.EXECUTE,
                "restart-service", List.of("test"), 0, Map.of(), Map.of());
    }

    @Test
    void thePlaybooksBlastRadiusHoldsThroughTheCoordinatorUntilTheRunIsReleased() throws Exception {
        Playbook restart = TestDaemon.content().playbooks().get("restart-service").orElseThrow(); // max_instances: 1
        LocalCoordinator coordinator = new LocalCoordinator("app-1", FleetLimits.DEFAULTS, clock);
        FleetBinding fleet = new FleetBinding(coordinator, Duration.ofMinutes(10));

        FleetPermits.Permit first = fleet.request(restart("app-1"), restart, "app-1", 20);
        assertTrue(first.refusal().isEmpty(), first.refusal().toString());
        assertTrue(first.mayProceed());
        assertTrue(first.fencingToken().isPresent(), "a grant hands its token to the steps");

        FleetPermits.Permit second = fleet.request(restart("app-2"), restart, "app-2", 20);
        assertTrue(second.refusal().orElseThrow().startsWith("fleet: blast_radius: "), second.refusal().toString());
        assertFalse(second.mayProceed());
        assertTrue(second.fencingToken().isEmpty(), "a refusal has no token");

        coordinator.setKillSwitch(true, "alice");
        assertFalse(first.mayProceed(), "the kill switch stops the running grant before its next step");
        assertEquals("fleet: kill_switch: the kill switch is on",
                fleet.request(restart("app-3"), restart, "app-3", 20).refusal().orElseThrow());
        first.release();
    }

    @Test
    void anUnknownServiceSizeIsRefusedNotTakenAsAll() throws Exception {
        Playbook restart = TestDaemon.content().playbooks().get("restart-service").orElseThrow();
        FleetBinding fleet = new FleetBinding(new LocalCoordinator("app-1", FleetLimits.DEFAULTS, clock), Duration.ofMinutes(10));
        String refusal = fleet.request(restart("app-1"), restart, "app-1", 0).refusal().orElseThrow();
        assertTrue(refusal.startsWith("fleet: invalid: "), refusal);
    }
}
