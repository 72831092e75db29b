package dev.vigil.fleet;

import java.util.List;
import java.util.Objects;

/** The coordinator's answer to a {@link GrantRequest}. Immutable. */
public sealed interface GrantResult permits GrantResult.Granted, GrantResult.Refused {

    /** Permission to act, until {@link FleetCoordinator#release}. */
    record Granted(Grant grant) implements GrantResult {
        public Granted {
            Objects.requireNonNull(grant, "grant");
        }
    }

    /**
     * No permission, and why.
     *
     * @param retryable  whether asking again later could succeed (a lock held elsewhere, a cap that will free up)
     * @param failClosed the coordinator could not decide (no quorum, session lost): the caller must not act, and turns
     *                   its decision into an approval or a notification with this reason
     * @param sharedCause set when the same signature holds on many hosts: one fleet incident instead of N actions
     */
    record Refused(String reason, boolean retryable, boolean failClosed, SharedCause sharedCause) implements GrantResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }

        static Refused limit(String reason) {
            return new Refused(reason, true, false, null);
        }

        static Refused closed(String reason) {
            return new Refused(reason, true, true, null);
        }
    }

    /**
     * One signature holding on many hosts at once, which points at a shared cause rather than N broken hosts. Immutable.
     *
     * @param incident deterministic for the fleet, signature and service, so an agent taking over never raises a second
     */
    record SharedCause(String incident, String signature, String service, List<String> hosts) {
        public SharedCause {
            hosts = List.copyOf(hosts);
        }
    }
}
