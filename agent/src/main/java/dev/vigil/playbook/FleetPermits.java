package dev.vigil.playbook;

import dev.vigil.decision.Decision;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Permission from the fleet for one run, asked after this agent's own guards admit it: in fleet mode the daemon binds
 * it to the fleet coordinator, so limits, the kill switch and fencing hold across every agent. Implementations are
 * thread-safe; {@link #LOCAL} (one host) always permits.
 */
public interface FleetPermits {
    /** A fleet of one: this agent's guards are all the limits there are. */
    FleetPermits LOCAL = (decision, playbook, target, instances) -> Permit.LOCAL;

    /**
     * Asks to act on {@code target} of the decision's service, which has {@code instances} instances now.
     *
     * @return a permit, or one whose {@link Permit#refusal} says why not (no quorum, a fleet limit, a shared cause)
     */
    Permit request(Decision decision, Playbook playbook, String target, int instances);

    /** A granted (or refused) permission; released once the run ends. */
    interface Permit {
        /** Always granted, never lost. */
        Permit LOCAL = new Permit() {
            @Override
            public Optional<String> refusal() {
                return Optional.empty();
            }

            @Override
            public boolean mayProceed() {
                return true;
            }

            @Override
            public void release() {
            }
        };

        /** A refusal: nothing may run, nothing to give back. */
        static Permit refused(String reason) {
            return new Permit() {
                @Override
                public Optional<String> refusal() {
                    return Optional.of(reason);
                }

                @Override
                public boolean mayProceed() {
                    return false;
                }

                @Override
                public void release() {
                }
            };
        }

        /** Why the fleet refused; empty when granted. */
        Optional<String> refusal();

        /** Checked before every step: the grant still holds (session live, kill switch off). */
        boolean mayProceed();

        /**
         * The grant's fencing token, which steps hand to the service they act on so that it can refuse a lower one than
         * it has already seen for the target; empty on one host, where there is no grant.
         */
        default OptionalLong fencingToken() {
            return OptionalLong.empty();
        }

        void release();
    }
}
