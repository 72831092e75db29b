package dev.vigil.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The correlator's rules over the fleet's diagnoses and the topology's depends_on edges. */
class FleetCorrelatorTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final Map<String, List<String>> DEPENDS_ON = Map.of(
            "checkout", List.of("postgres"), "orders", List.of("postgres", "redis"), "billing", List.of("redis"),
            "search", List.of());
    private final FleetCorrelator correlator = new FleetCorrelator(2, 3);

    @Test
    void diagnosesOnTwoDependentsOfOneDatabaseHoldBothAndRaiseOneIncident() {
        List<OpenDiagnosis> open = List.of(
                new OpenDiagnosis("agent-a", "db-connection-pool-exhaustion", "checkout", "app-1"),
                new OpenDiagnosis("agent-b", "db-connection-pool-exhaustion", "checkout", "app-2"),
                new OpenDiagnosis("agent-c", "service-down", "orders", "app-3"));
        FleetCorrelator.Conclusion c = correlator.correlate("prod", open, DEPENDS_ON, NOW);

        assertEquals(List.of("checkout", "orders"), c.holds().stream().map(Hold::service).toList());
        assertTrue(c.holds().stream().allMatch(h -> h.dependency().equals("postgres")), c.holds().toString());
        assertEquals(1, c.incidents().size(), c.incidents().toString());
        FleetCorrelator.Incident i = c.incidents().get(0);
        assertEquals("postgres", i.service());
        assertEquals("dependency-outage", i.signature());
        assertEquals(List.of("checkout", "orders"), i.dependents());
        assertEquals(List.of("app-1", "app-2", "app-3"), i.hosts());
        assertTrue(i.summary().contains("postgres is suspected down"), i.summary());
    }

    @Test
    void aSecondLeaderConcludesTheSameIdsFromTheSameDiagnoses() {
        List<OpenDiagnosis> open = List.of(new OpenDiagnosis("a", "service-down", "checkout", "app-1"),
                new OpenDiagnosis("b", "service-down", "orders", "app-2"));
        FleetCorrelator other = new FleetCorrelator(2, 3);
        assertEquals(correlator.correlate("prod", open, DEPENDS_ON, NOW), other.correlate("prod", open, DEPENDS_ON, NOW + 1000));
        assertNotEquals(correlator.correlate("prod", open, DEPENDS_ON, NOW).holds(),
                correlator.correlate("staging", open, DEPENDS_ON, NOW).holds(), "ids are per fleet");
    }

    @Test
    void oneDependentAloneOrServicesWithNoCommonDependencyAreNoOutage() {
        List<OpenDiagnosis> oneDependent = List.of(new OpenDiagnosis("a", "service-down", "checkout", "app-1"),
                new OpenDiagnosis("b", "service-down", "checkout", "app-2"));
        assertEquals(new FleetCorrelator.Conclusion(List.of(), List.of()), correlator.correlate("prod", oneDependent, DEPENDS_ON, NOW));
        List<OpenDiagnosis> unrelated = List.of(new OpenDiagnosis("a", "disk-full", "checkout", "app-1"),
                new OpenDiagnosis("b", "disk-full", "search", "app-9"));
        assertEquals(List.of(), correlator.correlate("prod", unrelated, DEPENDS_ON, NOW).holds());
    }

    @Test
    void oneSignatureOnThreeHostsOfAServiceIsHeldAsASharedCauseUnderTheAgentsIncidentId() {
        List<OpenDiagnosis> open = List.of(new OpenDiagnosis("a", "memory-leak", "search", "app-1"),
                new OpenDiagnosis("b", "memory-leak", "search", "app-2"),
                new OpenDiagnosis("c", "memory-leak", "search", "app-3"),
                new OpenDiagnosis("c", "disk-full", "search", "app-3"));
        FleetCorrelator.Conclusion c = correlator.correlate("prod", open, DEPENDS_ON, NOW);
        assertEquals(1, c.holds().size(), c.holds().toString());
        Hold hold = c.holds().get(0);
        assertTrue(hold.covers("search", "memory-leak"));
        assertTrue(!hold.covers("search", "disk-full") && !hold.covers("checkout", "memory-leak"), "only that signature there");
        assertEquals(1, c.incidents().size());
        FleetCorrelator.Incident i = c.incidents().get(0);
        assertEquals(SharedCauses.incidentId("prod", "memory-leak", "search", NOW), i.id(),
                "the id an agent's shared-cause refusal raises: told once, whoever records it first");
        assertEquals(List.of("app-1", "app-2", "app-3"), i.hosts());
        assertEquals(List.of(), correlator.correlate("prod", open.subList(1, 4), DEPENDS_ON, NOW).holds(), "two hosts are not three");
    }

    @Test
    void aHigherThresholdNeedsMoreDependents() {
        List<OpenDiagnosis> open = List.of(new OpenDiagnosis("a", "service-down", "orders", "app-1"),
                new OpenDiagnosis("b", "service-down", "billing", "app-2"));
        assertEquals(List.of("billing", "orders"), correlator.correlate("prod", open, DEPENDS_ON, NOW).holds().stream()
                .map(Hold::service).toList(), "both depend on redis");
        assertEquals(List.of(), new FleetCorrelator(3, 3).correlate("prod", open, DEPENDS_ON, NOW).holds());
        assertThrows(IllegalArgumentException.class, () -> new FleetCorrelator(1, 3));
        assertThrows(IllegalArgumentException.class, () -> new FleetCorrelator(2, 1));
    }
}
