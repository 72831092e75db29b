package dev.vigil.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the fleet's ZooKeeper ensemble ({@code fleet:} in the daemon config). Immutable.
 *
 * @param connect ZooKeeper's connect string, {@code host:port,host:port,...}
 * @param fleet   the fleet's name: agents with the same name share limits; a path segment under {@code /vigil}
 */
public record ZooKeeperSettings(String connect, String fleet, Duration sessionTimeout, Duration connectionTimeout) {
    public ZooKeeperSettings {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(fleet, "fleet");
        if (!fleet.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("fleet must be lower-case letters, digits and '-' (at most 63), was " + fleet);
        }
        if (sessionTimeout.toMillis() < 1000 || connectionTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("timeouts too short: session " + sessionTimeout + " (>= 1s), connection "
                    + connectionTimeout + " (>= 100ms)");
        }
    }

    /** The fleet's root node. */
    String root() {
        return "/vigil/" + fleet;
    }
}
