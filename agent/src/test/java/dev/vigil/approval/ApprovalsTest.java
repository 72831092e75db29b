package dev.vigil.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.decision.DecisionKind;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApprovalsTest {
    private final Fixtures.Clock clock = new Fixtures.Clock("2026-01-01T12:00:00Z");
    private final Fixtures.Audit audit = new Fixtures.Audit();
    private final Fixtures.Guards guards = new Fixtures.Guards();
    private final Fixtures.Runner runner = new Fixtures.Runner();

    private Approvals store(Set<String> allowed) {
        return new Approvals(clock, Approvals.DEFAULT_EXPIRY, allowed, audit, guards, runner);
    }

    @Test
    void anApprovalRunsThePlaybookOnceAndEveryTransitionIsAuditedWithWhoChannelAndWhen() {
        Approvals approvals = store(Set.of());
        ApprovalRequest r = approvals.open(Fixtures.approve("d-1", 1), Fixtures.params());
        assertEquals(ApprovalState.PENDING, r.state());
        assertEquals(clock.instant().plus(Duration.ofMinutes(30)), r.expiresAt());

        clock.advance(Duration.ofMinutes(3));
        Answer a = approvals.approve(r.id(), "alice", Channel.API);

        assertTrue(a.accepted(), a.message());
        assertEquals(ApprovalState.APPROVED, a.request().state());
        assertEquals(Execution.Status.DRY_RUN, a.request().execution().status());
        assertEquals(List.of(r.id()), runner.ran.stream().map(ApprovalRequest::id).toList());
        assertEquals(List.of("approval.requested", "approval.approved", "approval.executed"), audit.types());
        var approved = audit.of("approval.approved").get(0).data();
        assertEquals("alice", approved.get("who"));
        assertEquals("api", approved.get("channel"));
        assertEquals("2026-01-01T12:03:00Z", approved.get("at"));
        assertEquals(Fixtures.params(), audit.of("approval.requested").get(0).data().get("parameters"));
    }

    @Test
    void aHighRiskActionNeedsTwoDistinctApproversAndTheSameUserTwiceIsRefused() {
        Approvals approvals = store(Set.of());
        ApprovalRequest r = approvals.open(Fixtures.approve("d-2", 2), Fixtures.params());

        assertTrue(approvals.approve(r.id(), "alice", Channel.SLACK).accepted());
        Answer twice = approvals.approve(r.id(), "alice", Channel.API);

        assertEquals(Answer.Code.DUPLICATE_APPROVER, twice.code());
        assertEquals(ApprovalState.PENDING, approvals.get(r.id()).orElseThrow().state());
        assertTrue(runner.ran.isEmpty());
        var refused = audit.of("approval.refused").get(0).data();
        assertEquals("duplicate_approver", refused.get("code"));
        assertEquals("alice", refused.get("who"));

        Answer second = approvals.approve(r.id(), "bob", Channel.API);
        assertEquals(ApprovalState.APPROVED, second.request().state());
        assertEquals(List.of("alice", "bob"), second.request().approvals().stream().map(Vote::who).toList());
        assertEquals(1, runner.ran.size());
    }

    @Test
    void anAnswerAfterExpiryIsRefusedEvenBeforeTheExpiryTickAndExpiryCountsAsDenied() {
        Approvals approvals = store(Set.of());
        ApprovalRequest r = approvals.open(Fixtures.approve("d-3", 1), Fixtures.params());

        clock.advance(Duration.ofMinutes(30));
        Answer late = approvals.approve(r.id(), "alice", Channel.API);

        assertEquals(Answer.Code.NOT_PENDING, late.code());
        assertTrue(late.message().contains("expired"), late.message());
        assertTrue(runner.ran.isEmpty());
        assertEquals(List.of(r.id()), approvals.expireDue().stream().map(ApprovalRequest::id).toList());
        assertEquals(ApprovalState.EXPIRED, approvals.get(r.id()).orElseThrow().state());
        assertEquals("vigil", audit.of("approval.expired").get(0).data().get("who"));
        assertEquals(List.of("approval.requested", "approval.refused", "approval.expired"), audit.types());
        assertTrue(approvals.expireDue().isEmpty(), "expires once");
    }

    @Test
    void aRequestStillPendingOneMillisecondBeforeExpiryDoesNotExpire() {
        Approvals approvals = store(Set.of());
        ApprovalRequest r = approvals.open(Fixtures.approve("d-4", 1), Fixtures.params());
        clock.advance(Duration.ofMinutes(30).minusMillis(1));
        assertTrue(approvals.expireDue().isEmpty());
        assertTrue(approvals.approve(r.id(), "alice", Channel.API).accepted());
    }

    @Test
    void anApproverWhoIsNotAllowedIsRefusedAndAudited() {
        Approvals approvals = store(Set.of("alice"));
        ApprovalRequest r = approvals.open(Fixtures.approve("d-5", 1), Fixtures.params());

        Answer a = approvals.approve(r.id(), "mallory", Channel.WEBHOOK);

        assertEquals(Answer.Code.NOT_ALLOWED, a.code());
        assertEquals(ApprovalState.PENDING, approvals.get(r.id()).orElseThrow().state());
        assertEquals("webhook", audit.of("approval.refused").get(0).data().get("channel"));
    }

    @Test
    void anApprovalWhoseGuardsNoLongerHoldIsBlockedNotRun() {
        Approvals approvals = store(Set.of());
        ApprovalRequest r = approvals.open(Fixtures.approve("d-6", 1), Fixtures.params());
        guards.refusal = "kill switch is on";

        Answer a = approvals.approve(r.id(), "alice", Channel.API);

        assertTrue(a.accepted());
        assertEquals(ApprovalState.APPROVED, a.request().state());
        assertEquals(Execution.blocked("kill switch is on"), a.request().execution());
        assertTrue(runner.ran.isEmpty());
        assertEquals("kill switch is on", audit.of("approval.blocked").get(0).data().get("detail"));
    }

    @Test
    void oneDenyEndsTheRequestAndLaterApprovalsAreRefused() {
        Approvals approvals = store(Set.of());
        ApprovalRequest r = approvals.open(Fixtures.approve("d-7", 2), Fixtures.params());
        approvals.approve(r.id(), "alice", Channel.API);

        Answer no = approvals.deny(r.id(), "bob", Channel.SLACK, "wrong pool");
        Answer after = approvals.approve(r.id(), "carol", Channel.API);

        assertEquals(ApprovalState.DENIED, no.request().state());
        assertEquals("wrong pool", no.request().resolution().reason());
        assertEquals(Answer.Code.NOT_PENDING, after.code());
        assertTrue(runner.ran.isEmpty());
        assertThrows(IllegalArgumentException.class, () -> approvals.deny(r.id(), "bob", Channel.API, " "));
    }

    @Test
    void aRequestIsCancelledWhenItsDiagnosisClears() {
        Approvals approvals = store(Set.of());
        ApprovalRequest r = approvals.open(Fixtures.approve("d-8", 1), Fixtures.params());

        assertEquals(ApprovalState.CANCELLED, approvals.cancel("d-8", "diagnosis cleared").orElseThrow().state());
        assertTrue(approvals.cancel("d-8", "again").isEmpty());
        assertEquals(Answer.Code.NOT_PENDING, approvals.approve(r.id(), "alice", Channel.API).code());
        assertEquals("diagnosis cleared", audit.of("approval.cancelled").get(0).data().get("reason"));
    }

    @Test
    void whenTheAuditCannotBeWrittenTheApprovalDoesNotTakeEffect() {
        Approvals approvals = store(Set.of());
        ApprovalRequest r = approvals.open(Fixtures.approve("d-9", 1), Fixtures.params());
        audit.failing = true;

        assertThrows(IllegalStateException.class, () -> approvals.approve(r.id(), "alice", Channel.API));

        audit.failing = false;
        assertEquals(ApprovalState.PENDING, approvals.get(r.id()).orElseThrow().state());
        assertTrue(runner.ran.isEmpty());
    }

    @Test
    void anUnknownRequestIsRefusedAndOnlyApproveDecisionsOpenRequests() {
        Approvals approvals = store(Set.of());
        assertEquals(Answer.Code.NO_SUCH_REQUEST, approvals.approve("apr-nope", "alice", Channel.API).code());
        var notify = new dev.vigil.decision.Decision("d-10", 0, "x", dev.vigil.fact.Target.ANY, 0.3, DecisionKind.NOTIFY,
                null, List.of(), 0, java.util.Map.of(), java.util.Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> approvals.open(notify, java.util.Map.of()));
        assertTrue(e.getMessage().contains("d-10"), e.getMessage());
        assertNull(approvals.get("apr-d-10").orElse(null));
    }

    @Test
    void listenersSeeEveryNewStateInOrder() {
        Approvals approvals = store(Set.of());
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        approvals.listen(r -> seen.add(r.state().wireName() + (r.execution() == null ? "" : "/" + r.execution().status().wireName())));
        ApprovalRequest r = approvals.open(Fixtures.approve("d-11", 2), Fixtures.params());
        approvals.approve(r.id(), "alice", Channel.API);
        approvals.approve(r.id(), "bob", Channel.API);
        assertEquals(List.of("pending", "pending", "approved", "approved/dry-run"), seen);
    }

    @Test
    void aRunHandedToTheRunnerRecordsHowItEndedOnceAndAGuardRefusalOfTheRunnerIsBlocked() {
        Approvals approvals = new Approvals(clock, Approvals.DEFAULT_EXPIRY, Set.of(), audit, guards,
                approved -> new Execution(Execution.Status.STARTED, "handed to the runner"));
        ApprovalRequest r = approvals.open(Fixtures.approve("d-12", 1), Fixtures.params());
        assertEquals(Execution.Status.STARTED, approvals.approve(r.id(), "alice", Channel.API).request().execution().status());

        ApprovalRequest ended = approvals.finished(r.id(), Execution.blocked("kill-switch: incident 42")).orElseThrow();

        assertEquals(Execution.blocked("kill-switch: incident 42"), ended.execution());
        assertTrue(approvals.finished(r.id(), new Execution(Execution.Status.RAN, "again")).isEmpty(), "ends once");
        assertEquals(List.of("approval.requested", "approval.approved", "approval.executed", "approval.blocked"), audit.types());
        assertEquals("started", audit.of("approval.executed").get(0).data().get("status"));
        assertThrows(IllegalArgumentException.class, () -> approvals.finished(r.id(), new Execution(Execution.Status.STARTED, "")));
    }

    @Test
    void aRunnerThatEndsBeforeItsHandOffIsRecordedKeepsTheEndNotTheStart() {
        java.util.concurrent.atomic.AtomicReference<Approvals> self = new java.util.concurrent.atomic.AtomicReference<>();
        Approvals approvals = new Approvals(clock, Approvals.DEFAULT_EXPIRY, Set.of(), audit, guards, approved -> {
            self.get().finished(approved.id(), new Execution(Execution.Status.RAN, "run-d-13 verified"));
            return new Execution(Execution.Status.STARTED, "handed to the runner");
        });
        self.set(approvals);
        ApprovalRequest r = approvals.open(Fixtures.approve("d-13", 1), Fixtures.params());

        Answer a = approvals.approve(r.id(), "alice", Channel.API);

        assertEquals(new Execution(Execution.Status.RAN, "run-d-13 verified"), a.request().execution());
        assertEquals(List.of("approval.requested", "approval.approved", "approval.executed"), audit.types());
    }

    @Test
    void theStoreAlwaysHoldsThePendingRequestsAndRestoringAuditsEachAndSkipsWhatIsKnownOrFinished() {
        List<List<String>> saves = new java.util.concurrent.CopyOnWriteArrayList<>();
        Approvals approvals = store(Set.of());
        approvals.storeIn(pending -> saves.add(pending.stream().map(ApprovalRequest::id).toList()));
        ApprovalRequest a = approvals.open(Fixtures.approve("d-14", 2), Fixtures.params());
        ApprovalRequest b = approvals.open(Fixtures.approve("d-15", 1), Fixtures.params());
        approvals.approve(a.id(), "alice", Channel.API);
        approvals.deny(b.id(), "bob", Channel.API, "not now");
        assertEquals(List.of(List.of(a.id()), List.of(a.id(), b.id()), List.of(a.id(), b.id()), List.of(a.id())), saves);

        Approvals next = store(Set.of());
        ApprovalRequest withVote = approvals.get(a.id()).orElseThrow();
        List<ApprovalRequest> restored = next.restore(List.of(withVote, withVote, approvals.get(b.id()).orElseThrow()));

        assertEquals(List.of(a.id()), restored.stream().map(ApprovalRequest::id).toList());
        assertEquals(List.of("alice"), next.get(a.id()).orElseThrow().approvals().stream().map(Vote::who).toList());
        assertEquals(1, audit.of("approval.restored").size());
        assertEquals(a.id(), audit.of("approval.restored").get(0).data().get("id"));
        assertEquals(Answer.Code.DUPLICATE_APPROVER, next.approve(a.id(), "alice", Channel.SLACK).code());
    }

    @Test
    void aRequestComesBackFromItsJsonFormAsItWas() throws Exception {
        Approvals approvals = store(Set.of("alice", "bob"));
        ApprovalRequest r = approvals.open(Fixtures.approve("d-16", 2), Fixtures.params());
        approvals.approve(r.id(), "alice", Channel.SLACK);
        ApprovalRequest now = approvals.get(r.id()).orElseThrow();
        var json = new com.fasterxml.jackson.databind.ObjectMapper();

        assertEquals(now, ApprovalRequest.fromJson(json.valueToTree(now.asMap())));
        var noDecision = new java.util.LinkedHashMap<>(now.asMap());
        noDecision.remove("decision");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ApprovalRequest.fromJson(json.valueToTree(noDecision)));
        assertTrue(e.getMessage().startsWith("decision"), e.getMessage());
    }
}
