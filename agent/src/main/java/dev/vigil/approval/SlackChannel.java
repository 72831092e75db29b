package dev.vigil.approval;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import dev.vigil.decision.Decision;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Posts approval requests and notify decisions to a Slack channel through the Web API ({@code chat.postMessage}), and
 * updates a request's message ({@code chat.update}) as it is answered, expires or is cancelled. Every call is retried
 * with backoff on a retryable failure (unreachable, timed out, 429, 5xx); posting stops once the request is no longer
 * pending. The end of each delivery is audited. Thread-safe.
 */
public final class SlackChannel implements Approvals.Listener {
    /** Where a request's message was posted, for {@code chat.update}. */
    private record Posted(String channel, String ts) {
    }

    private final MethodsClient methods;
    private final String channel;
    private final Retrying retrying;
    private final Approvals.Audit audit;
    private final Function<String, Optional<ApprovalRequest>> lookup;
    private final Map<String, Posted> posted = new ConcurrentHashMap<>();
    private final Map<String, Boolean> posting = new ConcurrentHashMap<>();

    /**
     * @param lookup the request as it stands now (the store's {@code get}), to stop retrying once it is answered
     */
    public SlackChannel(MethodsClient methods, String channel, Retrying retrying, Approvals.Audit audit,
                        Function<String, Optional<ApprovalRequest>> lookup) {
        this.methods = methods;
        this.channel = channel;
        this.retrying = retrying;
        this.audit = audit;
        this.lookup = lookup;
    }

    /** A Web API client at {@code endpointPrefix} (Slack's is {@code https://slack.com/api/}), bounded by a call timeout. */
    public static Slack client(String endpointPrefix, Duration callTimeout) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(endpointPrefix.endsWith("/") ? endpointPrefix : endpointPrefix + "/");
        config.setHttpClientCallTimeoutMillis((int) callTimeout.toMillis());
        config.setHttpClientReadTimeoutMillis((int) callTimeout.toMillis());
        config.getMethodsConfig().setStatsEnabled(false);
        return Slack.getInstance(config);
    }

    @Override
    public void changed(ApprovalRequest r) {
        if (r.state() == ApprovalState.PENDING && r.approvals().isEmpty()) {
            post(r);
        } else {
            update(r.id());
        }
    }

    /** Posts a notify decision: the same description, no buttons. */
    public void notify(Decision d) {
        retrying.deliver("slack notify " + d.id(), () -> call(() -> {
            ChatPostMessageResponse res = methods.chatPostMessage(m -> m.channel(channel)
                    .text(SlackMessages.fallback(d)).blocks(SlackMessages.notice(d)));
            return res.isOk() ? Delivery.ok(res.getTs()) : refusedBySlack(res.getError());
        }), () -> true, done -> done.audit(audit, "slack", "slack.notify", d.id()));
    }

    /**
     * Posts a playbook's notify message (retried with backoff, the outcome audited under {@code key}); returns at once.
     */
    public void message(String key, String text) {
        retrying.deliver("slack message " + key, () -> call(() -> {
            ChatPostMessageResponse res = methods.chatPostMessage(m -> m.channel(channel)
                    .text(SlackMessages.fallback(text)).blocks(SlackMessages.message(text)));
            return res.isOk() ? Delivery.ok(res.getTs()) : refusedBySlack(res.getError());
        }), () -> true, done -> done.audit(audit, "slack", "slack.message", key));
    }

    private void post(ApprovalRequest r) {
        if (posting.putIfAbsent(r.id(), Boolean.TRUE) != null) {
            return;
        }
        retrying.deliver("slack post " + r.id(), () -> call(() -> {
            ChatPostMessageResponse res = methods.chatPostMessage(m -> m.channel(channel)
                    .text(SlackMessages.fallback(r)).blocks(SlackMessages.request(r)));
            if (!res.isOk()) {
                return refusedBySlack(res.getError());
            }
            posted.put(r.id(), new Posted(res.getChannel(), res.getTs()));
            return Delivery.ok(res.getTs());
        }), () -> pending(r.id()), done -> {
            done.audit(audit, "slack", "slack.post", r.id());
            // answered while the post was in flight: show the outcome now
            if (done.last().delivered() && !pending(r.id())) {
                update(r.id());
            }
        });
    }

    private void update(String id) {
        if (!posted.containsKey(id)) {
            return; // not posted (yet): the post shows the state it finds
        }
        retrying.deliver("slack update " + id, () -> call(() -> {
            Posted at = posted.get(id);
            Optional<ApprovalRequest> now = lookup.apply(id);
            if (now.isEmpty()) {
                return Delivery.fail("request " + id + " is gone");
            }
            ChatUpdateResponse res = methods.chatUpdate(m -> m.channel(at.channel()).ts(at.ts())
                    .text(SlackMessages.fallback(now.get())).blocks(SlackMessages.request(now.get())));
            return res.isOk() ? Delivery.ok(at.ts()) : refusedBySlack(res.getError());
        }), () -> true, done -> done.audit(audit, "slack", "slack.update", id));
    }

    private boolean pending(String id) {
        return lookup.apply(id).map(r -> r.state() == ApprovalState.PENDING).orElse(false);
    }

    private interface SlackCall {
        Delivery run() throws IOException, SlackApiException;
    }

    private static Delivery call(SlackCall c) {
        try {
            return c.run();
        } catch (IOException e) {
            return Delivery.retry("Slack unreachable or slow: " + e);
        } catch (SlackApiException e) {
            int status = e.getResponse().code();
            return status == 429 || status >= 500 ? Delivery.retry("Slack answered HTTP " + status)
                    : Delivery.fail("Slack answered HTTP " + status);
        }
    }

    private static Delivery refusedBySlack(String error) {
        // these errors are Slack's way to say "later"; the rest (channel_not_found, invalid_auth, …) will not heal
        boolean later = "ratelimited".equals(error) || "internal_error".equals(error) || "fatal_error".equals(error)
                || "service_unavailable".equals(error) || "request_timeout".equals(error);
        return later ? Delivery.retry("Slack: " + error) : Delivery.fail("Slack: " + error);
    }
}
