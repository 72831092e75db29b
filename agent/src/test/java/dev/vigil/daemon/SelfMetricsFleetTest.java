package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fleet.FleetLimits;
import dev.vigil.fleet.LocalCoordinator;
import dev.vigil.ingest.IngestQueue;
import dev.vigil.ingest.IngestStats;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fleet's meters on /metrics: grants, refusals by reason, incidents, holds, session state, leadership. */
class SelfMetricsFleetTest {
    @Test
    void theFleetsGrantsRefusalsHoldsSessionAndLeadershipAreOnMetrics() {
        IngestStats stats = new IngestStats();
        SelfMetrics metrics = new SelfMetrics(new IngestQueue(10, stats), stats);
        InstantSource clock = InstantSource.fixed(Instant.ofEpochMilli(1_700_000_000_000L));
        FleetLink.Meters meters = metrics.fleetMeters();
        try (FleetLink link = new FleetLink(new LocalCoordinator("host-a", FleetLimits.DEFAULTS, clock), "host-a",
                Duration.ZERO, Duration.ofMinutes(10), Optional.empty(), Duration.ofHours(1), Map::of, d -> { }, meters, clock)) {
            metrics.fleet(link);
            meters.granted();
            meters.refused("held");
            meters.refused("held");
            meters.refused("shared_cause");
            meters.incident();
            String text = metrics.scrape();
            for (String line : List.of("vigil_fleet_grants_total 1.0", "vigil_fleet_refusals_total{reason=\"held\"} 2.0",
                    "vigil_fleet_refusals_total{reason=\"shared_cause\"} 1.0", "vigil_fleet_incidents_total 1.0",
                    "vigil_fleet_holds 0.0", "vigil_fleet_leader 0.0", "vigil_fleet_session{state=\"local\"} 1.0",
                    "vigil_fleet_session{state=\"connected\"} 0.0")) {
                assertTrue(text.contains(line + "\n"), line + " in\n" + text.lines().filter(l -> l.startsWith("vigil_fleet")).toList());
            }
        }
    }
}
