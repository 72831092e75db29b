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
 * @param agent      the agent's name in the fleet; its host name unless set
 * @param correlator the fleet correlator ({@code fleet.correlator}): whether this agent stands for election
 */
public record FleetConfig(Optional<ZooKeeperSettings> zookeeper, Optional<String> agent, FleetLimits limits,
                          Correlator correlator) {
    public static final FleetConfig LOCAL = new FleetConfig(Optional.empty(), Optional.empty(), FleetLimits.DEFAULTS,
            Correlator.DEFAULTS);

    /**
     * The fleet correlator's settings. Immutable.
     *
     * @param enabled       this agent stands for election (one agent of the fleet correlates, the others stand by)
     * @param every         how often the leader reads the fleet's diagnoses and rewrites the holds
     * @param minDependents this many distinct dependent services with open diagnoses make a dependency suspect
     */
    public record Correlator(boolean enabled, java.time.Duration every, int minDependents) {
        public static final Correlator DEFAULTS = new Correlator(true, java.time.Duration.ofSeconds(5), 2);

        public Correlator {
            if (every.toMillis() < 100) {
                throw new IllegalArgumentException("correlator.every must be >= 100ms, was " + every);
            }
            if (minDependents < 2) {
                throw new IllegalArgumentException("correlator.min_dependents must be >= 2, was " + minDependents);
            }
        }
    }

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
        Correlator correlator = Correlator.DEFAULTS;
        JsonNode c = fleet.path("correlator");
        try {
            correlator = new Correlator(c.path("enabled").asBoolean(true),
                    DaemonConfig.duration(c, "every", Correlator.DEFAULTS.every().toSeconds() + "s"),
                    c.path("min_dependents").asInt(Correlator.DEFAULTS.minDependents()));
        } catch (IllegalArgumentException e) {
            errors.add(doc.error("/fleet/correlator", e.getMessage()));
        }
        return new FleetConfig(zk, agent, limits, correlator);
    }
}
