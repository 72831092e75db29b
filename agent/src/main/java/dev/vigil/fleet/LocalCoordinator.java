package dev.vigil.fleet;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The coordinator of a fleet of one: the same limits and the same ledger logic as in ZooKeeper, held in memory. The
 * default when no {@code fleet:} section is configured. Thread-safe.
 */
public final class LocalCoordinator implements FleetCoordinator {
    private final String agent;
    private final FleetLimits limits;
    private final InstantSource clock;
    private final Map<String, Ledger> services = new HashMap<>();
    private final Map<String, Grant> locks = new HashMap<>();
    private final List<OpenDiagnosis> open = new ArrayList<>();
    private final Set<String> incidents = new TreeSet<>();
    private List<Hold> holds = List.of();
    private Ledger fleet = Ledger.EMPTY;
    private long tokens;
    private volatile boolean killSwitch;

    public LocalCoordinator(String agent, FleetLimits limits, InstantSource clock) {
        this.agent = agent;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public String agent() {
        return agent;
    }

    @Override
    public synchronized GrantResult request(GrantRequest r) {
        if (killSwitch) {
            return new GrantResult.Refused(GrantResult.Reason.KILL_SWITCH, "the kill switch is on");
        }
        Optional<GrantResult.SharedCause> shared = sharedCause(r.signature(), r.service(), r.serviceInstances());
        if (shared.isPresent()) {
            return new GrantResult.Refused(GrantResult.Reason.SHARED_CAUSE, "shared cause: " + r.signature() + " holds on "
                    + shared.get().hosts(), shared.get());
        }
        for (Hold h : holds) {
            if (h.covers(r.service(), r.signature())) {
                return new GrantResult.Refused(GrantResult.Reason.HELD, "held by the fleet correlator (" + h.id() + "): "
                        + h.reason());
            }
        }
        Grant holder = locks.get(r.target());
        if (holder != null) {
            return new GrantResult.Refused(GrantResult.Reason.LOCKED, "target " + r.target() + " is being acted on ("
                    + holder.playbook() + ")");
        }
        long now = clock.millis();
        Ledger service = services.getOrDefault(r.service(), Ledger.EMPTY);
        GrantResult.Refused refusal = service.serviceRefusal(r, now);
        if (refusal == null) {
            refusal = fleet.fleetRefusal(r, now, limits.maxTargetsPerHour());
        }
        if (refusal != null) {
            return refusal;
        }
        Grant grant = new Grant(agent, r.playbook(), r.service(), r.target(), ++tokens, now);
        Ledger.Entry entry = new Ledger.Entry(r.target(), r.service(), r.playbook(), agent, grant.token(), now);
        services.put(r.service(), service.with(entry, now));
        fleet = fleet.with(entry, now);
        locks.put(r.target(), grant);
        return new GrantResult.Granted(grant);
    }

    @Override
    public synchronized void release(Grant grant) {
        locks.remove(grant.target(), grant);
    }

    @Override
    public synchronized boolean mayProceed(Grant grant) {
        return !killSwitch && grant.equals(locks.get(grant.target()));
    }

    @Override
    public boolean killSwitchOn() {
        return killSwitch;
    }

    @Override
    public void setKillSwitch(boolean on, String who) {
        killSwitch = on;
    }

    @Override
    public synchronized void publishDiagnosis(String signature, String service, String host) {
        OpenDiagnosis p = new OpenDiagnosis(agent, signature, service, host);
        if (!open.contains(p)) {
            open.add(p);
        }
    }

    @Override
    public synchronized void withdrawDiagnosis(String signature, String service, String host) {
        open.remove(new OpenDiagnosis(agent, signature, service, host));
    }

    @Override
    public synchronized Optional<GrantResult.SharedCause> sharedCause(String signature, String service, int serviceInstances) {
        return SharedCauses.detect(fleet(), signature, service, serviceInstances, open, limits, clock.millis());
    }

    @Override
    public synchronized List<OpenDiagnosis> openDiagnoses() {
        return List.copyOf(open);
    }

    @Override
    public synchronized boolean raiseIncident(String incident, String summary) {
        return incidents.add(incident);
    }

    @Override
    public boolean raiseLeaderIncident(String incident, String summary) {
        return raiseIncident(incident, summary);
    }

    /** A fleet of one is its own correlator. */
    @Override
    public boolean leads() {
        return true;
    }

    @Override
    public synchronized boolean replaceHolds(List<Hold> next) {
        holds = List.copyOf(next);
        return true;
    }

    @Override
    public synchronized List<Hold> holds() {
        return holds;
    }

    @Override
    public String fleet() {
        return "local";
    }

    @Override
    public String session() {
        return "local";
    }

    @Override
    public void close() {
    }
}
