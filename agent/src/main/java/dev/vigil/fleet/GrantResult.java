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
     * @param sharedCause set when the same signature holds on many hosts: one fleet incident instead of N actions
     */
    record Refused(Reason kind, String reason, SharedCause sharedCause) implements GrantResult {
        public Refused {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }

        Refused(Reason kind, String reason) {
            this(kind, reason, null);
        }

        /** Whether asking again later could succeed (a lock held elsewhere, a cap that will free up, a quorum back). */
        public boolean retryable() {
            return kind != Reason.SHARED_CAUSE && kind != Reason.INVALID;
        }

        /**
         * The coordinator could not decide (no quorum, session lost): the caller must not act, and turns its decision
         * into an approval or a notification with this reason.
         */
        public boolean failClosed() {
            return kind == Reason.NO_QUORUM || kind == Reason.LOCK_LOST;
        }
    }

    /** Why a grant was refused, as counted on /metrics. */
    enum Reason {
        KILL_SWITCH, SHARED_CAUSE, HELD, LOCKED, COOLDOWN, BLAST_RADIUS, RATE, CONTENTION, NO_QUORUM, LOCK_LOST, INVALID;

        /** The label value: {@code blast_radius}, {@code no_quorum}, … */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
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
