package dev.vigil.fleet;

import java.util.Objects;

/**
 * A committed permission to act on one target. Immutable.
 *
 * @param token monotonic across the fleet (the creation zxid of the target's lock node under ZooKeeper): the executing
 *              side refuses a token lower than the highest it has seen for the target
 */
public record Grant(String agent, String playbook, String service, String target, long token, long grantedAtMillis) {
    public Grant {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(playbook, "playbook");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(target, "target");
    }
}
