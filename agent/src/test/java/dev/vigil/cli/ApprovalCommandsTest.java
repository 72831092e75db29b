package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.api.ApprovalRoutes;
import dev.vigil.api.Role;
import dev.vigil.api.Tokens;
import dev.vigil.approval.ApprovalRequest;
import dev.vigil.approval.ApprovalState;
import dev.vigil.approval.Approvals;
import dev.vigil.approval.Fixtures;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil approvals | approve | deny} against the approval API on loopback. */
class ApprovalCommandsTest {
    private final Fixtures.Clock clock = new Fixtures.Clock("2026-01-01T12:00:00Z");
    private final Fixtures.Audit audit = new Fixtures.Audit();
    private final Fixtures.Runner runner = new Fixtures.Runner();
    private Vertx vertx;
    private HttpServer server;
    private Approvals approvals;
    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        approvals = new Approvals(clock, Approvals.DEFAULT_EXPIRY, Set.of(), audit, new Fixtures.Guards(), runner);
        Tokens tokens = new Tokens(List.of(new Tokens.Entry("alice", Tokens.sha256("t-alice"), Role.APPROVER),
                new Tokens.Entry("vic", Tokens.sha256("t-vic"), Role.VIEWER)));
        server = vertx.createHttpServer()
                .requestHandler(new ApprovalRoutes(vertx, approvals, tokens, Optional.empty(), Optional.empty()).router())
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private record Run(int exit, String out, String err) {
    }

    private Run vigil(String token, String... args) throws Exception {
        Path file = tmp.resolve("token-" + token);
        Files.writeString(file, token + "\n");
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--url", "http://127.0.0.1:" + server.actualPort(), "--token-file", file.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void approvalsListsThePendingRequests() throws Exception {
        ApprovalRequest r = approvals.open(Fixtures.approve("d-1", 2), Fixtures.params());
        Run run = vigil("t-vic", "approvals");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains(r.id()), run.out());
        assertTrue(run.out().contains("recycle-pool"), run.out());
        assertTrue(run.out().contains("0/2"), run.out());
    }

    @Test
    void approveWithAnApproversTokenApprovesAndRunsThePlaybook() throws Exception {
        ApprovalRequest r = approvals.open(Fixtures.approve("d-2", 1), Fixtures.params());
        Run run = vigil("t-alice", "approve", r.id());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("approved; dry-run"), run.out());
        assertEquals(1, runner.ran.size());
        assertEquals("alice", approvals.get(r.id()).orElseThrow().resolution().who());
    }

    @Test
    void denyNeedsAReasonAndRecordsIt() throws Exception {
        ApprovalRequest r = approvals.open(Fixtures.approve("d-3", 1), Fixtures.params());
        assertEquals(2, vigil("t-alice", "deny", r.id()).exit(), "--reason is required");
        Run run = vigil("t-alice", "deny", r.id(), "--reason", "during the release freeze");
        assertEquals(0, run.exit(), run.err());
        ApprovalRequest now = approvals.get(r.id()).orElseThrow();
        assertEquals(ApprovalState.DENIED, now.state());
        assertEquals("during the release freeze", now.resolution().reason());
    }

    @Test
    void aViewerTokenIsRefusedAndAWrongOneIsUnauthorised() throws Exception {
        ApprovalRequest r = approvals.open(Fixtures.approve("d-4", 1), Fixtures.params());
        Run viewer = vigil("t-vic", "approve", r.id());
        assertEquals(1, viewer.exit());
        assertTrue(viewer.err().contains("HTTP 403"), viewer.err());
        Run wrong = vigil("t-nobody", "approvals");
        assertEquals(1, wrong.exit());
        assertTrue(wrong.err().contains("HTTP 401"), wrong.err());
        assertEquals(ApprovalState.PENDING, approvals.get(r.id()).orElseThrow().state());
    }

    @Test
    void anUnreadableTokenFileOrAnUnreachableDaemonExitsWith2() {
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "approvals",
                "--token-file", tmp.resolve("missing").toString());
        assertEquals(2, exit);
        assertTrue(err.toString().contains("cannot read --token-file"), err.toString());
    }
}
