package dev.vigil.fleet;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One agent asking to act on one target, with the limits that must hold fleet-wide. Immutable.
 *
 * @param target           the instance acted on (a host, a pod); the unit of locking and of the blast radius
 * @param serviceInstances how many instances the service has now; 0 means unknown, which is refused, never "all"
 * @param window           how far back the blast radius counts distinct targets of the service
 * @param maxInstances     at most this many distinct targets of the service within the window (with this one)
 * @param maxPercent       at most this share of the service's instances within the window (with this one)
 * @param maxRunsPerHour   runs of this playbook fleet-wide in the last hour, this one included
 * @param cooldown         no second run of this playbook on this target within this time
 */
public record GrantRequest(String playbook, String signature, String service, String target, int serviceInstances,
                           Duration window, OptionalInt maxInstances, OptionalInt maxPercent, int maxRunsPerHour,
                           Duration cooldown) {
    public GrantRequest {
        Objects.requireNonNull(playbook, "playbook");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(maxInstances, "maxInstances");
        Objects.requireNonNull(maxPercent, "maxPercent");
        Objects.requireNonNull(cooldown, "cooldown");
        if (target.isEmpty()) {
            throw new IllegalArgumentException("a grant needs one named target, was empty");
        }
        if (maxRunsPerHour < 1) {
            throw new IllegalArgumentException("maxRunsPerHour must be >= 1, was " + maxRunsPerHour);
        }
    }
}
