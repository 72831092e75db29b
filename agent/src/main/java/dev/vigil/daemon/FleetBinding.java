package dev.vigil.daemon;

import dev.vigil.decision.Decision;
import dev.vigil.fleet.FencingGate;
import dev.vigil.fleet.FleetCoordinator;
import dev.vigil.fleet.Grant;
import dev.vigil.fleet.GrantRequest;
import dev.vigil.fleet.GrantResult;
import dev.vigil.playbook.FleetPermits;
import dev.vigil.playbook.Limits;
import dev.vigil.playbook.Playbook;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The playbook runner's fleet permission, bound to a {@link FleetCoordinator}: each run asks for a grant with the
 * playbook's limits, a grant older than one already seen for its target is refused (fencing), and a lost session or
 * the kill switch stops the run before its next step. Thread-safe.
 */
final class FleetBinding implements FleetPermits {
    private static final int FENCED_TARGETS = 100_000;

    private final FleetCoordinator coordinator;
    private final Duration window;
    private final FencingGate fencing = new FencingGate(FENCED_TARGETS);
    private final Outcomes outcomes;

    /** Who hears how each request went (the fleet's metrics, the shared-cause incident). Called on the runner's thread. */
    interface Outcomes {
        Outcomes NONE = new Outcomes() {
        };

        default void granted(Grant grant) {
        }

        /** @param reason the refusal's label ({@code shared_cause}, {@code held}, …, or {@code stale_token}) */
        default void refused(Decision decision, String reason, GrantResult.Refused refusal) {
        }
    }

    FleetBinding(FleetCoordinator coordinator, Duration window) {
        this(coordinator, window, Outcomes.NONE);
    }

    FleetBinding(FleetCoordinator coordinator, Duration window, Outcomes outcomes) {
        this.coordinator = coordinator;
        this.window = window;
        this.outcomes = outcomes;
    }

    @Override
    public Permit request(Decision decision, Playbook playbook, String target, int instances) {
        Limits limits = playbook.limits();
        GrantRequest request = new GrantRequest(playbook.id(), decision.signature(), decision.target().service(), target,
                instances, window, limits.blastRadius().maxInstances(), limits.blastRadius().maxPercent(),
                limits.maxRunsPerHour(), limits.cooldown());
        GrantResult result = coordinator.request(request);
        if (result instanceof GrantResult.Refused refused) {
            outcomes.refused(decision, refused.kind().label(), refused);
            return Permit.refused("fleet: " + refused.kind().label() + ": " + refused.reason()
                    + (refused.failClosed() ? " (fails closed: nothing acts)" : ""));
        }
        Grant grant = ((GrantResult.Granted) result).grant();
        if (!fencing.admit(grant)) {
            coordinator.release(grant);
            outcomes.refused(decision, "stale_token", null);
            return Permit.refused("fleet: stale grant token " + grant.token() + " for " + target + ", a newer one ("
                    + fencing.highest(target) + ") was already used");
        }
        outcomes.granted(grant);
        return new Permit() {
            @Override
            public Optional<String> refusal() {
                return Optional.empty();
            }

            @Override
            public boolean mayProceed() {
                return coordinator.mayProceed(grant) && fencing.highest(target) == grant.token();
            }

            @Override
            public void release() {
                coordinator.release(grant);
            }

            @Override
            public OptionalLong fencingToken() {
                return OptionalLong.of(grant.token());
            }
        };
    }
}
