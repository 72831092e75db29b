package dev.vigil.approval;

import dev.vigil.decision.Decision;
import dev.vigil.decision.DecisionKind;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approval requests and their life: opened for {@code approve} decisions, answered through a channel, expired
 * (which counts as denied) or cancelled when the diagnosis clears. Time comes only from the injected clock; expiry
 * happens in {@link #expireDue()}, which the owner calls periodically, and an answer that arrives after the expiry
 * time is refused even before that call. Thread-safe: transitions are serialised; the guards, the runner and the
 * listeners are called outside the lock.
 *
 * <p>Every transition and every refusal is audited (who, channel, when) before it takes effect: when the audit
 * cannot be written it throws, and the request stays as it was.
 */
public final class Approvals {
    private static final Logger LOG = LoggerFactory.getLogger(Approvals.class);
    public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(30);
    /** Finished requests kept for listing, oldest dropped first; pending ones are never dropped. */
    private static final int KEEP_FINISHED = 1000;

    /** Where transitions are journalled; durable when it returns, throws when it cannot be (fail closed). */
    public interface Audit {
        void record(String type, Map<String, Object> data);
    }

    /** The execution guards, checked again when an approved action is about to run; a refusal is its reason. */
    public interface Guards {
        Optional<String> refusal(ApprovalRequest approved);
    }

    /** Runs (or, in dry-run, plans and journals) an approved action whose guards hold. */
    public interface Runner {
        Execution run(ApprovalRequest approved);
    }

    /**
     * Keeps the pending requests across a restart: given all of them, in order, after every change (under the lock, so
     * the last call holds the latest state). It should write durably and atomically; a failure is logged, not thrown,
     * since the journal already holds the transition.
     */
    public interface Store {
        void save(List<ApprovalRequest> pending);
    }

    /** Told of every new state of a request (posting, updating messages); must not block for long. */
    public interface Listener {
        void changed(ApprovalRequest request);
    }

    private final InstantSource clock;
    private final Duration expiry;
    private final Set<String> allowedApprovers;
    private final Audit audit;
    private final Guards guards;
    private final Runner runner;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile Store store = pending -> { };
    private final Map<String, ApprovalRequest> byId = new LinkedHashMap<>();

    /**
     * @param expiry           how long a request waits for answers (default {@link #DEFAULT_EXPIRY})
     * @param allowedApprovers who may answer any request; empty means anyone a channel authenticated as an approver
     */
    public Approvals(InstantSource clock, Duration expiry, Set<String> allowedApprovers, Audit audit, Guards guards,
                     Runner runner) {
        if (expiry.isZero() || expiry.isNegative()) {
            throw new IllegalArgumentException("expiry must be positive, was " + expiry);
        }
        this.clock = clock;
        this.expiry = expiry;
        this.allowedApprovers = Set.copyOf(allowedApprovers);
        this.audit = audit;
        this.guards = guards;
        this.runner = runner;
    }

    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /** Keeps the pending requests in {@code store} from now on (set before requests are opened). */
    public void storeIn(Store store) {
        this.store = store;
    }

    /**
     * Takes back the pending requests a previous run of the daemon left (from its {@link Store}); each is audited as
     * {@code approval.restored}. Requests already known, and any that are not pending, are skipped. Those whose time
     * ran out while the daemon was down expire at the next {@link #expireDue()}.
     *
     * @return the requests restored
     */
    public List<ApprovalRequest> restore(List<ApprovalRequest> pending) {
        List<ApprovalRequest> restored = new ArrayList<>();
        synchronized (this) {
            for (ApprovalRequest r : pending) {
                if (r.state() != ApprovalState.PENDING || byId.containsKey(r.id())) {
                    continue;
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("id", r.id());
                data.put("decision", r.decisionId());
                data.put("approvals", r.approvals().size());
                data.put("required_approvals", r.requiredApprovals());
                data.put("expires_at", r.expiresAt().toString());
                data.put("at", clock.instant().toString());
                audit.record("approval.restored", data);
                byId.put(r.id(), r);
                restored.add(r);
            }
            saved();
        }
        return restored;
    }

    /**
     * Opens a pending request for an {@code approve} decision whose parameters are bound; audited as
     * {@code approval.requested}. Opening the same decision twice returns the existing request.
     */
    public ApprovalRequest open(Decision d, Map<String, String> parameters) {
        if (d.kind() != DecisionKind.APPROVE) {
            throw new IllegalArgumentException("only approve decisions need approval, " + d.id() + " is " + d.kind().wireName());
        }
        Instant now = clock.instant();
        ApprovalRequest r = ApprovalRequest.pending(d, parameters, allowedApprovers, now, now.plus(expiry));
        synchronized (this) {
            ApprovalRequest existing = byId.get(r.id());
            if (existing != null) {
                return existing;
            }
            Map<String, Object> data = r.asMap();
            data.remove("approvals");
            audit.record("approval.requested", data);
            byId.put(r.id(), r);
            dropOldFinished();
            saved();
        }
        publish(r);
        return r;
    }

    /**
     * Records {@code who}'s yes. With enough distinct approvers the request is approved, the guards are checked again
     * and the runner is called; the answer carries the execution.
     */
    public Answer approve(String id, String who, Channel channel) {
        Instant now = clock.instant();
        ApprovalRequest after;
        synchronized (this) {
            Answer refusal = refusal(id, who, channel, "approve", now);
            if (refusal != null) {
                return refusal;
            }
            ApprovalRequest before = byId.get(id);
            if (before.approvedBy(who)) {
                return refuse(Answer.Code.DUPLICATE_APPROVER, before, who, channel, "approve",
                        who + " already approved " + id + "; it needs " + before.requiredApprovals() + " distinct approvers");
            }
            after = before.withVote(new Vote(who, channel, now));
            boolean enough = after.approvals().size() >= after.requiredApprovals();
            if (enough) {
                after = after.resolved(ApprovalState.APPROVED, new Resolution(who, channel, now, ""));
            }
            audit.record(enough ? "approval.approved" : "approval.vote", transition(after, who, channel, now, ""));
            byId.put(id, after);
            saved();
        }
        publish(after);
        if (after.state() == ApprovalState.APPROVED) {
            after = execute(after);
            return new Answer(Answer.Code.ACCEPTED, "approved; " + after.execution().status().wireName()
                    + (after.execution().detail().isEmpty() ? "" : ": " + after.execution().detail()), after);
        }
        return new Answer(Answer.Code.ACCEPTED, "approval " + after.approvals().size() + " of "
                + after.requiredApprovals() + " recorded", after);
    }

    /** Records {@code who}'s no: one deny ends the request. */
    public Answer deny(String id, String who, Channel channel, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a deny needs a reason, was " + (reason == null ? "null" : "blank"));
        }
        Instant now = clock.instant();
        ApprovalRequest after;
        synchronized (this) {
            Answer refusal = refusal(id, who, channel, "deny", now);
            if (refusal != null) {
                return refusal;
            }
            after = byId.get(id).resolved(ApprovalState.DENIED, new Resolution(who, channel, now, reason));
            audit.record("approval.denied", transition(after, who, channel, now, reason));
            byId.put(id, after);
            saved();
        }
        publish(after);
        return new Answer(Answer.Code.ACCEPTED, "denied", after);
    }

    /** Expires every pending request whose time is up (counts as denied); returns them. */
    public List<ApprovalRequest> expireDue() {
        Instant now = clock.instant();
        List<ApprovalRequest> expired = new ArrayList<>();
        synchronized (this) {
            for (ApprovalRequest r : List.copyOf(byId.values())) {
                if (r.state() == ApprovalState.PENDING && !now.isBefore(r.expiresAt())) {
                    ApprovalRequest after = r.resolved(ApprovalState.EXPIRED,
                            new Resolution("vigil", Channel.SYSTEM, now, "no answer by " + r.expiresAt() + ": denied"));
                    audit.record("approval.expired", transition(after, "vigil", Channel.SYSTEM, now, after.resolution().reason()));
                    byId.put(r.id(), after);
                    expired.add(after);
                }
            }
            if (!expired.isEmpty()) {
                saved();
            }
        }
        expired.forEach(this::publish);
        return expired;
    }

    /** Cancels the pending request of {@code decisionId}, if any, because its diagnosis cleared. */
    public Optional<ApprovalRequest> cancel(String decisionId, String reason) {
        Instant now = clock.instant();
        ApprovalRequest after;
        synchronized (this) {
            Optional<ApprovalRequest> pending = byId.values().stream()
                    .filter(r -> r.decisionId().equals(decisionId) && r.state() == ApprovalState.PENDING).findFirst();
            if (pending.isEmpty()) {
                return Optional.empty();
            }
            after = pending.get().resolved(ApprovalState.CANCELLED, new Resolution("vigil", Channel.SYSTEM, now, reason));
            audit.record("approval.cancelled", transition(after, "vigil", Channel.SYSTEM, now, reason));
            byId.put(after.id(), after);
            saved();
        }
        publish(after);
        return Optional.of(after);
    }

    /**
     * Audits a message refused before any request was identified (a forged signature, a stale timestamp, a replay,
     * a user not allowed) and returns the refusal.
     */
    public Answer refuse(Answer.Code code, Channel channel, String who, String message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("code", code.name().toLowerCase(java.util.Locale.ROOT));
        data.put("channel", channel.wireName());
        data.put("who", who);
        data.put("at", clock.instant().toString());
        data.put("reason", message);
        audit.record("approval.refused", data);
        return Answer.refused(code, message);
    }

    public synchronized Optional<ApprovalRequest> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The requests that {@code which} accepts, oldest first. */
    public synchronized List<ApprovalRequest> list(Predicate<ApprovalRequest> which) {
        return byId.values().stream().filter(which).sorted(Comparator.comparing(ApprovalRequest::requestedAt)).toList();
    }

    /** The common refusals of an answer to {@code id}, audited; null when the answer may proceed. Holds the lock. */
    private Answer refusal(String id, String who, Channel channel, String action, Instant now) {
        ApprovalRequest r = byId.get(id);
        if (r == null) {
            return refuse(Answer.Code.NO_SUCH_REQUEST, channel, who, "no approval request " + id);
        }
        if (r.state() == ApprovalState.PENDING && !now.isBefore(r.expiresAt())) {
            return refuse(Answer.Code.NOT_PENDING, r, who, channel, action,
                    id + " expired at " + r.expiresAt() + "; the " + action + " came too late");
        }
        if (r.state() != ApprovalState.PENDING) {
            return refuse(Answer.Code.NOT_PENDING, r, who, channel, action, id + " is " + r.state().wireName() + ", not pending");
        }
        if (!r.allows(who)) {
            return refuse(Answer.Code.NOT_ALLOWED, r, who, channel, action, who + " is not an allowed approver of " + id);
        }
        return null;
    }

    private Answer refuse(Answer.Code code, ApprovalRequest r, String who, Channel channel, String action, String message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", r.id());
        data.put("decision", r.decisionId());
        data.put("code", code.name().toLowerCase(java.util.Locale.ROOT));
        data.put("action", action);
        data.put("who", who);
        data.put("channel", channel.wireName());
        data.put("at", clock.instant().toString());
        data.put("reason", message);
        audit.record("approval.refused", data);
        return new Answer(code, message, r);
    }

    /** Checks the guards again and hands the approved action on; the outcome is audited and kept. */
    private ApprovalRequest execute(ApprovalRequest approved) {
        Execution e;
        try {
            Optional<String> blocked = guards.refusal(approved);
            e = blocked.isPresent() ? Execution.blocked(blocked.get()) : runner.run(approved);
        } catch (RuntimeException ex) {
            LOG.error("running approved {} failed", approved.id(), ex);
            e = new Execution(Execution.Status.FAILED, ex.toString());
        }
        ApprovalRequest after;
        synchronized (this) {
            ApprovalRequest now = byId.getOrDefault(approved.id(), approved);
            if (now.execution() != null && now.execution().isFinal()) {
                return now; // a fast runner already reported how it ended (see finished)
            }
            after = approved.executed(e);
            audit.record(e.status() == Execution.Status.BLOCKED ? "approval.blocked" : "approval.executed", execution(after));
            byId.put(after.id(), after);
        }
        publish(after);
        return after;
    }

    /**
     * Records how an approved action that the runner {@linkplain Execution.Status#STARTED started} ended: audited as
     * {@code approval.executed}, or {@code approval.blocked} when the runner's own guards refused it. Ignored when
     * the request is not approved or already has a final execution.
     */
    public Optional<ApprovalRequest> finished(String id, Execution outcome) {
        if (!outcome.isFinal()) {
            throw new IllegalArgumentException("an action ends with a final status, not " + outcome.status().wireName());
        }
        ApprovalRequest after;
        synchronized (this) {
            ApprovalRequest now = byId.get(id);
            if (now == null || now.state() != ApprovalState.APPROVED
                    || (now.execution() != null && now.execution().isFinal())) {
                return Optional.empty();
            }
            after = now.executed(outcome);
            audit.record(outcome.status() == Execution.Status.BLOCKED ? "approval.blocked" : "approval.executed", execution(after));
            byId.put(id, after);
        }
        publish(after);
        return Optional.of(after);
    }

    private Map<String, Object> execution(ApprovalRequest r) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", r.id());
        data.put("decision", r.decisionId());
        data.put("playbook", r.playbook());
        data.put("status", r.execution().status().wireName());
        data.put("detail", r.execution().detail());
        data.put("at", clock.instant().toString());
        return data;
    }

    private static Map<String, Object> transition(ApprovalRequest r, String who, Channel channel, Instant at, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", r.id());
        data.put("decision", r.decisionId());
        data.put("state", r.state().wireName());
        data.put("who", who);
        data.put("channel", channel.wireName());
        data.put("at", at.toString());
        data.put("approvals", r.approvals().size());
        data.put("required_approvals", r.requiredApprovals());
        if (!reason.isEmpty()) {
            data.put("reason", reason);
        }
        return data;
    }

    /** Hands the pending requests to the store. Holds the lock. */
    private void saved() {
        try {
            store.save(byId.values().stream().filter(r -> r.state() == ApprovalState.PENDING).toList());
        } catch (RuntimeException e) {
            LOG.error("cannot save the pending approval requests (the journal has them): {}", e.toString(), e);
        }
    }

    private void publish(ApprovalRequest r) {
        for (Listener l : listeners) {
            try {
                l.changed(r);
            } catch (RuntimeException e) {
                LOG.warn("approval listener failed on {}: {}", r.id(), e.toString());
            }
        }
    }

    private void dropOldFinished() {
        long finished = byId.values().stream().filter(r -> r.state().isFinal()).count();
        var it = byId.values().iterator();
        while (finished > KEEP_FINISHED && it.hasNext()) {
            if (it.next().state().isFinal()) {
                it.remove();
                finished--;
            }
        }
    }
}
