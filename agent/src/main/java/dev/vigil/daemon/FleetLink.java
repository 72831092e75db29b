package dev.vigil.daemon;

import dev.vigil.decision.Decision;
import dev.vigil.decision.DecisionKind;
import dev.vigil.fact.Target;
import dev.vigil.fleet.FleetCoordinator;
import dev.vigil.fleet.FleetCorrelator;
import dev.vigil.fleet.Grant;
import dev.vigil.fleet.GrantResult;
import dev.vigil.playbook.FleetPermits;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live part of fleet mode in one agent, between the pipeline and the coordinator: it publishes this agent's open
 * diagnoses (and withdraws them when they clear), lets a settle delay pass before a run asks for its grant so the
 * other agents' diagnoses of the same cause can arrive, turns a shared-cause refusal into one fleet incident (a
 * {@code notify} decision, told only by the agent that records the incident), turns a run refused because the fleet
 * fails closed into a {@code notify} with the reason, and, while this agent is the elected
 * correlator, runs the {@link FleetCorrelator} and writes its holds. Thread-safe.
 *
 * <p>Implementation note: every ZooKeeper call runs on one "vigil-fleet" thread, never on the engine thread; a publish
 * is queued before the settle timer of the decision it opened, and one thread keeps them in that order.
 */
final class FleetLink implements Pipeline.DiagnosisListener, FleetBinding.Outcomes, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetLink.class);

    /** Who hears the fleet's grants, refusals and incidents (the daemon's metrics). */
    interface Meters {
        Meters NONE = new Meters() {
        };

        default void granted() {
        }

        default void refused(String reason) {
        }

        default void incident() {
        }
    }

    /** Where what the fleet decided goes: journal and notification channels. */
    interface Told {
        /** A fleet incident this agent recorded (a {@code notify} decision). */
        void incident(Decision d);

        /**
         * A run refused because the fleet failed closed (no quorum, a lost session): {@code instead} is the decision it
         * became, a {@code notify} with the refusal as its last reason, under an id derived from {@code original}'s
         * (the daemon asks for approval instead when approvals are configured). Called on the runner's thread.
         */
        default void failedClosed(Decision original, Decision instead) {
        }
    }

    /** Suffix of the id of the decision an execute decision becomes when the fleet fails closed: the same each time. */
    static final String FAILED_CLOSED = "-fail-closed";

    private final FleetCoordinator coordinator;
    private final String host;
    private final Duration settle;
    private final Optional<FleetCorrelator> correlator;
    private final Supplier<Map<String, List<String>>> dependsOn;
    private final Told tell;
    private final Meters meters;
    private final InstantSource clock;
    private final FleetBinding permits;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "vigil-fleet"));
    private volatile int holds;

    /**
     * @param host       this agent's host, published for diagnoses whose target names no host
     * @param correlator present when this agent stands for election as the fleet correlator
     * @param dependsOn  the topology's {@code depends_on}, read at each correlation
     * @param tell       where fleet incidents, and decisions changed by a fleet that fails closed, go: journal and
     *                   notification channels
     */
    FleetLink(FleetCoordinator coordinator, String host, Duration settle, Duration blastWindow,
              Optional<FleetCorrelator> correlator, Duration correlateEvery, Supplier<Map<String, List<String>>> dependsOn,
              Told tell, Meters meters, InstantSource clock) {
        this.coordinator = coordinator;
        this.host = host;
        this.settle = settle;
        this.correlator = correlator;
        this.dependsOn = dependsOn;
        this.tell = tell;
        this.meters = meters;
        this.clock = clock;
        this.permits = new FleetBinding(coordinator, blastWindow, this);
        // every agent refreshes the holds it sees (for /metrics); the leader also correlates
        thread.scheduleWithFixedDelay(this::correlateQuietly, correlateEvery.toMillis(), correlateEvery.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The runner's fleet permission. */
    FleetPermits permits() {
        return permits;
    }

    /** Runs {@code submit} once the settle delay has passed (at once when it is zero). */
    void afterSettle(Runnable submit) {
        thread.schedule(() -> {
            try {
                submit.run();
            } catch (RuntimeException e) {
                LOG.error("a settled run could not be submitted", e);
            }
        }, settle.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void opened(String signature, Target target) {
        String service = target.service();
        String on = target.host().isEmpty() ? host : target.host();
        thread.execute(() -> coordinator.publishDiagnosis(signature, service, on));
    }

    @Override
    public void cleared(String signature, Target target) {
        String service = target.service();
        String on = target.host().isEmpty() ? host : target.host();
        thread.execute(() -> coordinator.withdrawDiagnosis(signature, service, on));
    }

    @Override
    public void granted(Grant grant) {
        meters.granted();
    }

    @Override
    public void refused(Decision decision, String reason, GrantResult.Refused refusal) {
        meters.refused(reason);
        if (refusal != null && refusal.failClosed()) {
            tell.failedClosed(decision, failedClosed(decision, "fleet: " + reason + ": " + refusal.reason()
                    + " (fails closed: nothing acts without a grant)"));
            return;
        }
        if (refusal == null || refusal.sharedCause() == null) {
            return;
        }
        GrantResult.SharedCause cause = refusal.sharedCause();
        String summary = "fleet incident " + cause.incident() + ": " + cause.signature() + " holds on " + cause.hosts().size()
                + " hosts " + cause.hosts() + " (service " + cause.service() + "): a shared cause, so no agent acts on it alone";
        if (coordinator.raiseIncident(cause.incident(), summary)) {
            List<String> reasons = new ArrayList<>(decision.reasons());
            reasons.add(summary);
            meters.incident();
            tell.incident(new Decision(cause.incident(), clock.millis(), cause.signature(), Target.service(cause.service()),
                    decision.confidence(), DecisionKind.NOTIFY, decision.playbook(), reasons, 0,
                    Map.of("hosts", String.join(",", cause.hosts())), Map.of()));
        }
    }

    /**
     * What an execute decision becomes when the fleet fails closed: no quorum, no grant, no action, so a governor is
     * told instead. Its id is the original's with {@value #FAILED_CLOSED}, since a decision id is never reused.
     */
    Decision failedClosed(Decision d, String reason) {
        List<String> reasons = new ArrayList<>(d.reasons());
        reasons.add(reason);
        return new Decision(d.id() + FAILED_CLOSED, clock.millis(), d.signature(), d.target(), d.confidence(),
                DecisionKind.NOTIFY, d.playbook(), reasons, 0, d.evidence(), d.bindings());
    }

    /** How many holds the fleet has, as last read. */
    int holds() {
        return holds;
    }

    /** Whether this agent is the fleet correlator now. */
    boolean leads() {
        return correlator.isPresent() && coordinator.leads();
    }

    /** The session's state label. */
    String session() {
        return coordinator.session();
    }

    /** One round: read the holds; as leader, correlate, rewrite the holds (fenced) and raise new incidents. */
    void correlate() {
        if (correlator.isPresent() && coordinator.leads()) {
            FleetCorrelator.Conclusion c = correlator.get().correlate(coordinator.fleet(), coordinator.openDiagnoses(),
                    dependsOn.get(), clock.millis());
            if (coordinator.replaceHolds(c.holds())) {
                for (FleetCorrelator.Incident i : c.incidents()) {
                    if (coordinator.raiseLeaderIncident(i.id(), i.summary())) {
                        meters.incident();
                        tell.incident(new Decision(i.id(), clock.millis(), i.signature(), Target.service(i.service()),
                                0.0, DecisionKind.NOTIFY, null, List.of("concluded by the fleet correlator, not scored", i.summary()),
                                0, Map.of("dependents", String.join(",", i.dependents()), "hosts", String.join(",", i.hosts())),
                                Map.of()));
                    }
                }
            }
        }
        holds = coordinator.holds().size();
    }

    private void correlateQuietly() {
        try {
            correlate();
        } catch (RuntimeException e) {
            LOG.warn("fleet correlation round failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
