package dev.vigil.daemon;

import dev.vigil.content.ContentError;
import dev.vigil.content.YamlDocument;
import dev.vigil.fleet.FleetLimits;
import dev.vigil.fleet.ZooKeeperSettings;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * The {@code fleet:} section: where the fleet's ZooKeeper ensemble is and the fleet-wide limits. Without it the agent
 * is a fleet of one. Immutable.
 *
 * @param agent the agent's name in the fleet; its host name unless set
 */
public record FleetConfig(Optional<ZooKeeperSettings> zookeeper, Optional<String> agent, FleetLimits limits) {
    public static final FleetConfig LOCAL = new FleetConfig(Optional.empty(), Optional.empty(), FleetLimits.DEFAULTS);

    static FleetConfig parse(YamlDocument doc, JsonNode fleet, List<ContentError> errors) {
        if (fleet.isMissingNode() || fleet.isNull()) {
            return LOCAL;
        }
        FleetLimits d = FleetLimits.DEFAULTS;
        FleetLimits limits = d;
        try {
            limits = new FleetLimits(fleet.path("max_targets_per_hour").asInt(d.maxTargetsPerHour()),
                    DaemonConfig.duration(fleet, "settle", d.settle().toSeconds() + "s"), fleet.path("shared_cause_hosts").asInt(d.sharedCauseHosts()),
                    fleet.path("shared_cause_percent").asInt(d.sharedCausePercent()));
        } catch (IllegalArgumentException e) {
            errors.add(doc.error("/fleet", e.getMessage()));
        }
        Optional<ZooKeeperSettings> zk = Optional.empty();
        try {
            zk = Optional.of(new ZooKeeperSettings(fleet.path("zookeeper").asText(), fleet.path("name").asText(),
                    DaemonConfig.duration(fleet, "session_timeout", "10s"),
                    DaemonConfig.duration(fleet, "connection_timeout", "5s")));
        } catch (IllegalArgumentException e) {
            errors.add(doc.error("/fleet", e.getMessage()));
        }
        Optional<String> agent = fleet.hasNonNull("agent") ? Optional.of(fleet.get("agent").asText()) : Optional.empty();
        return new FleetConfig(zk, agent, limits);
    }
}
