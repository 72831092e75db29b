package dev.vigil.fleet;

import java.time.Duration;

/**
 * The fleet-wide limits that do not come from a playbook: how many distinct targets may be acted on per hour across
 * the fleet, and when one signature on many hosts is a shared cause. Immutable.
 *
 * @param settle            how long an agent waits after a diagnosis opens before it asks for a grant, so the other
 *                          agents seeing the same cause have published theirs
 * @param sharedCauseHosts  this many hosts (or more) with the same signature is a shared cause
 * @param sharedCausePercent this share of a service's instances (or more) with the same signature is a shared cause
 */
public record FleetLimits(int maxTargetsPerHour, Duration settle, int sharedCauseHosts, int sharedCausePercent) {
    public static final FleetLimits DEFAULTS = new FleetLimits(50, Duration.ofSeconds(10), 3, 30);

    public FleetLimits {
        if (maxTargetsPerHour < 1 || sharedCauseHosts < 2 || sharedCausePercent < 1 || sharedCausePercent > 100) {
            throw new IllegalArgumentException("fleet limits out of range: maxTargetsPerHour=" + maxTargetsPerHour
                    + " (>= 1), sharedCauseHosts=" + sharedCauseHosts + " (>= 2), sharedCausePercent="
                    + sharedCausePercent + " (1-100)");
        }
        if (settle.isNegative()) {
            throw new IllegalArgumentException("settle must be >= 0, was " + settle);
        }
    }
}
