package dev.vigil.daemon;

import com.slack.api.Slack;
import dev.vigil.api.ApprovalRoutes;
import dev.vigil.api.Tokens;
import dev.vigil.approval.ApprovalRequest;
import dev.vigil.approval.ApprovalState;
import dev.vigil.approval.Approvals;
import dev.vigil.approval.Execution;
import dev.vigil.approval.Retrying;
import dev.vigil.approval.SlackChannel;
import dev.vigil.approval.SlackInteractions;
import dev.vigil.approval.SlackSignature;
import dev.vigil.approval.WebhookAnswers;
import dev.vigil.approval.WebhookChannel;
import dev.vigil.approval.WebhookSignature;
import dev.vigil.audit.AuditSink;
import dev.vigil.decision.Decision;
import dev.vigil.playbook.DryRunPlanner;
import dev.vigil.playbook.Playbook;
import dev.vigil.playbook.PlannedStep;
import dev.vigil.playbook.Notifier;
import dev.vigil.playbook.PlaybookRunner;
import dev.vigil.playbook.RunResult;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's approvals, wired: the store on the journal, the Slack and webhook channels the config names, the API
 * router, the expiry tick, and the pipeline's approve / notify / cleared outcomes. An approved action is handed to
 * the playbook runner in {@code mode: execute}, whose guards (kill switch, circuit, preconditions, limits) decide once
 * more at the moment it runs, and how the run ended is recorded on the approval; in dry-run it is planned and
 * journalled. Thread-safe.
 */
final class ApprovalDesk implements Pipeline.Outcomes, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalDesk.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final int WEBHOOK_REPLAY_MEMORY = 10_000;

    private final Approvals approvals;
    private final Router router;
    private final ScheduledExecutorService scheduler;
    private final Optional<SlackChannel> slackOut;
    private final Optional<WebhookChannel> webhookOut;
    private final Slack slack;
    /** The decisions waiting for an answer, by id: the runner acts on the decision itself, not on its summary. */
    private final Map<String, Decision> waiting;

    private ApprovalDesk(Approvals approvals, Router router, ScheduledExecutorService scheduler,
                         Optional<SlackChannel> slackOut, Optional<WebhookChannel> webhookOut, Slack slack,
                         Map<String, Decision> waiting) {
        this.webhookOut = webhookOut;
        this.waiting = waiting;
        this.approvals = approvals;
        this.router = router;
        this.scheduler = scheduler;
        this.slackOut = slackOut;
        this.slack = slack;
    }

    /** Reads the secret files, builds the channels and starts the expiry tick. */
    static ApprovalDesk start(DaemonConfig config, Content content, AuditSink journal, Vertx vertx, InstantSource clock,
                              Optional<PlaybookRunner> runner) throws IOException {
        Map<String, Decision> waiting = new java.util.concurrent.ConcurrentHashMap<>();
        ApprovalsConfig cfg = config.approvals();
        Approvals.Audit audit = (type, data) -> {
            journal.append(type, data);
            journal.commit(); // an answer counts only once its record is durable
        };
        Set<String> allowed = new LinkedHashSet<>(cfg.approvers());
        if (!allowed.isEmpty()) {
            cfg.slack().ifPresent(s -> allowed.addAll(s.approverByUser().values()));
        }
        AtomicReference<Approvals> self = new AtomicReference<>();
        Approvals approvals = new Approvals(clock, cfg.expiry(), allowed, audit,
                r -> refusal(content, runner, r),
                r -> runner.isPresent() ? run(runner.get(), waiting, r, self::get) : dryRun(content, journal, r));
        self.set(approvals);
        // a request denied, expired or cancelled never runs: its decision need not be held (an approved one is taken by run)
        approvals.listen(r -> {
            if (r.state().isFinal() && r.state() != ApprovalState.APPROVED) {
                waiting.remove(r.decisionId());
            }
        });
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "vigil-approvals");
            t.setDaemon(true);
            return t;
        });
        Retrying retrying = new Retrying(scheduler, Retrying.Backoff.defaults());
        Optional<SlackInteractions> slackIn = Optional.empty();
        Optional<SlackChannel> slackOut = Optional.empty();
        Slack slack = null;
        if (cfg.slack().isPresent()) {
            ApprovalsConfig.Slack s = cfg.slack().get();
            slack = SlackChannel.client(s.apiUrl().toString(), CALL_TIMEOUT);
            SlackChannel out = new SlackChannel(slack.methods(secret(s.tokenFile())), s.channel(), retrying, audit, approvals::get);
            approvals.listen(out);
            slackOut = Optional.of(out);
            slackIn = Optional.of(new SlackInteractions(new SlackSignature(secret(s.signingSecretFile())), s.approverByUser(),
                    approvals, clock));
        }
        Optional<WebhookAnswers> webhookIn = Optional.empty();
        Optional<WebhookChannel> webhookOut = Optional.empty();
        if (cfg.webhook().isPresent()) {
            ApprovalsConfig.Webhook w = cfg.webhook().get();
            WebhookSignature signature;
            try {
                signature = new WebhookSignature(secret(w.secretFile()), WEBHOOK_REPLAY_MEMORY);
            } catch (IllegalArgumentException e) {
                throw new IOException(w.secretFile() + ": " + e.getMessage(), e);
            }
            WebhookChannel out = new WebhookChannel(w.url(), signature, CALL_TIMEOUT, retrying, audit, clock, approvals::get);
            approvals.listen(out);
            webhookOut = Optional.of(out);
            webhookIn = Optional.of(new WebhookAnswers(signature, approvals, clock));
        }
        restore(new PendingApprovals(config.dataDir(), waiting::get), approvals, waiting, audit, clock);
        approvals.expireDue(); // those whose time ran out while the daemon was down, told to the channels
        Router router = new ApprovalRoutes(vertx, approvals, new Tokens(config.apiTokens()), slackIn, webhookIn).router();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                approvals.expireDue();
            } catch (RuntimeException e) {
                LOG.error("expiring approval requests failed; trying again in a second", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        return new ApprovalDesk(approvals, router, scheduler, slackOut, webhookOut, slack, waiting);
    }

    /**
     * Takes back the pending requests (and the decisions they would run) that the previous run left in the data
     * directory, then keeps them there. A file that cannot be read is moved aside and journalled, and the daemon
     * starts without it: the journal still holds every request it had.
     */
    private static void restore(PendingApprovals store, Approvals approvals, Map<String, Decision> waiting,
                                Approvals.Audit audit, InstantSource clock) throws IOException {
        PendingApprovals.Saved saved;
        try {
            saved = store.load();
        } catch (IOException e) {
            Path aside = store.quarantine(clock.millis());
            LOG.error("{}; moved to {}, starting without the pending approvals it held (they are in the journal)",
                    e.getMessage(), aside);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("file", store.file().toString());
            data.put("reason", e.getMessage());
            data.put("moved_to", aside.toString());
            audit.record("approval.restore-failed", data);
            saved = new PendingApprovals.Saved(List.of(), Map.of());
        }
        waiting.putAll(saved.decisions());
        approvals.storeIn(store);
        List<ApprovalRequest> restored = approvals.restore(saved.requests());
        if (!restored.isEmpty()) {
            LOG.info("{} pending approval request(s) restored from {}", restored.size(), store.file());
        }
    }

    private static String secret(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
            throw new IOException(file + " is empty");
        }
        return s;
    }

    /**
     * What no longer holds for an approved action, checked before it is handed on. In execute mode the runner checks
     * everything (playbook loaded, kill switch, circuit, preconditions, limits) at the moment it runs, and a refusal of
     * its comes back as the blocked outcome of the approval; in dry-run the playbook must still be loaded to be planned.
     */
    private static Optional<String> refusal(Content content, Optional<PlaybookRunner> runner, ApprovalRequest r) {
        if (runner.isEmpty() && content.playbooks().get(r.playbook()).isEmpty()) {
            return Optional.of("playbook " + r.playbook() + " is no longer loaded");
        }
        return Optional.empty();
    }

    /**
     * Execute mode: the runner takes the approved decision; its guards, steps and outcome are journalled by it, and
     * how the run ended is recorded on the approval once it has.
     */
    private static Execution run(PlaybookRunner runner, Map<String, Decision> waiting, ApprovalRequest r,
                                 Supplier<Approvals> approvals) {
        Decision d = waiting.remove(r.decisionId());
        if (d == null) {
            return new Execution(Execution.Status.FAILED, "decision " + r.decisionId() + " is no longer held by this daemon");
        }
        runner.submit(d).whenComplete((result, failure) -> {
            Execution end = failure != null ? new Execution(Execution.Status.FAILED, "the run failed: " + failure)
                    : ended(result);
            try {
                approvals.get().finished(r.id(), end);
            } catch (RuntimeException e) {
                LOG.error("cannot record how the approved run of {} ended: {}", r.id(), end, e);
            }
        });
        return new Execution(Execution.Status.STARTED, "handed to the playbook runner as run-" + d.id());
    }

    /** A run's outcome as the approval shows it: refused by a guard is blocked, rolled back or stopped is failed. */
    static Execution ended(RunResult result) {
        Execution.Status status = switch (result.outcome()) {
            case VERIFIED, COMPLETED -> Execution.Status.RAN;
            case REFUSED -> Execution.Status.BLOCKED;
            case FAILED, ROLLED_BACK, STOPPED -> Execution.Status.FAILED;
        };
        return new Execution(status, result.runId() + " " + result.outcome().wireName()
                + (result.reason().isEmpty() ? "" : ": " + result.reason()));
    }

    /** Dry-run: the approved playbook is planned and journalled, nothing acts. */
    private static Execution dryRun(Content content, AuditSink journal, ApprovalRequest r) {
        Playbook pb = content.playbooks().get(r.playbook()).orElseThrow();
        List<PlannedStep> plan = DryRunPlanner.plan(pb, r.parameters());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("decision", r.decisionId());
        data.put("approval", r.id());
        data.put("playbook", r.playbook());
        data.put("parameters", r.parameters());
        data.put("dry_run", true);
        data.put("steps", plan);
        journal.append("playbook.dry-run", data);
        journal.commit();
        return new Execution(Execution.Status.DRY_RUN, plan.size() + " step(s) planned, none run");
    }

    Router router() {
        return router;
    }

    Approvals approvals() {
        return approvals;
    }

    @Override
    public void approve(Decision d, Map<String, String> parameters) {
        try {
            waiting.put(d.id(), d);
            approvals.open(d, parameters);
        } catch (RuntimeException e) {
            // fail closed: without a durable request nobody can approve, so nothing runs
            LOG.error("cannot open an approval request for {}", d.id(), e);
        }
    }

    /**
     * Where a playbook's notify steps go: the configured Slack channel and webhook, and always the log (so a message
     * is never lost when neither is configured).
     */
    Notifier notifier() {
        Notifier log = Notifier.log();
        return (channels, message) -> {
            Notifier.Delivery logged = log.send(channels, message);
            if (slackOut.isEmpty() && webhookOut.isEmpty()) {
                return logged;
            }
            String key = "notify-" + Integer.toHexString(message.hashCode());
            slackOut.ifPresent(s -> s.message(key, message));
            webhookOut.ifPresent(w -> w.message(key, message));
            return Notifier.Delivery.ok("posted to " + (slackOut.isPresent() ? "Slack" : "")
                    + (slackOut.isPresent() && webhookOut.isPresent() ? " and " : "")
                    + (webhookOut.isPresent() ? "the webhook" : "") + " (delivery retried and journalled) and written to the log");
        };
    }

    /** A notify decision goes to every configured channel, with nothing to answer. */
    @Override
    public void notify(Decision d) {
        slackOut.ifPresent(s -> s.notify(d));
        webhookOut.ifPresent(w -> w.notify(d));
    }

    @Override
    public void cleared(String decisionId) {
        waiting.remove(decisionId);
        try {
            approvals.cancel(decisionId, "the diagnosis cleared before an answer");
        } catch (RuntimeException e) {
            LOG.error("cannot cancel the approval request of {}", decisionId, e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (slack != null) {
            try {
                slack.close();
            } catch (Exception e) {
                LOG.warn("closing the Slack client: {}", e.toString());
            }
        }
    }
}
