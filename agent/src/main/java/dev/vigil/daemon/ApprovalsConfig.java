package dev.vigil.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.api.Role;
import dev.vigil.api.Tokens;
import dev.vigil.approval.Approvals;
import dev.vigil.approval.SlackInteractions;
import dev.vigil.content.ContentError;
import dev.vigil.content.Durations;
import dev.vigil.content.YamlDocument;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code approvals:} section of the daemon configuration: how long a request waits, who may answer, and the
 * Slack and webhook channels. Secrets stay in files named here, read at start, never printed. Immutable.
 *
 * <p>One person is one approver whichever channel they answer through: an API token answers as its {@code name}, a
 * webhook answer as its {@code approver} field, and a Slack user as the name {@code allowed_users} maps its user id
 * to ({@code {U0123ABCD: alice}}); a Slack user listed without a name answers as {@code slack:U0123ABCD}, a different
 * approver from any token.
 *
 * @param approvers API token names and webhook approver names allowed to answer; empty means any caller with the
 *                  approver role (Slack users are always limited to {@link Slack#approverByUser()})
 */
public record ApprovalsConfig(Duration expiry, Set<String> approvers, Optional<Slack> slack, Optional<Webhook> webhook) {
    public static final String SLACK_API = "https://slack.com/api/";

    /**
     * Slack: bot token and signing secret files, the channel to post to, who may click.
     *
     * @param approverByUser the Slack user ids who may click, each with the approver name it answers as
     */
    public record Slack(Path tokenFile, Path signingSecretFile, String channel, Map<String, String> approverByUser, URI apiUrl) {
        public Slack {
            approverByUser = Map.copyOf(approverByUser);
        }
    }

    /** A Standard Webhooks receiver and the file holding the shared {@code whsec_} secret. */
    public record Webhook(URI url, Path secretFile) {
    }

    public ApprovalsConfig {
        approvers = Set.copyOf(approvers);
    }

    /**
     * Whether someone was named to answer approval requests: approvers, or a Slack or webhook channel. A run the fleet
     * refuses for failing closed then becomes an approval request rather than a notification.
     */
    public boolean configured() {
        return !approvers.isEmpty() || slack.isPresent() || webhook.isPresent();
    }

    /** No section: 30-minute expiry, anyone with the approver role, no Slack, no webhook. */
    public static ApprovalsConfig defaults() {
        return new ApprovalsConfig(Approvals.DEFAULT_EXPIRY, Set.of(), Optional.empty(), Optional.empty());
    }

    static ApprovalsConfig parse(JsonNode section) {
        if (section.isMissingNode()) {
            return defaults();
        }
        Set<String> approvers = new LinkedHashSet<>();
        section.path("approvers").forEach(a -> approvers.add(a.asText()));
        JsonNode s = section.path("slack");
        Optional<Slack> slack = Optional.empty();
        if (!s.isMissingNode()) {
            Map<String, String> users = new LinkedHashMap<>();
            JsonNode allowed = s.path("allowed_users");
            if (allowed.isObject()) {
                allowed.fields().forEachRemaining(e -> users.put(e.getKey(), e.getValue().asText()));
            } else {
                allowed.forEach(u -> users.put(u.asText(), SlackInteractions.principal(u.asText())));
            }
            slack = Optional.of(new Slack(Path.of(s.path("token_file").asText()), Path.of(s.path("signing_secret_file").asText()),
                    s.path("channel").asText(), users, URI.create(s.path("api_url").asText(SLACK_API))));
        }
        JsonNode w = section.path("webhook");
        Optional<Webhook> webhook = w.isMissingNode() ? Optional.empty()
                : Optional.of(new Webhook(URI.create(w.path("url").asText()), Path.of(w.path("secret_file").asText())));
        return new ApprovalsConfig(Durations.parse(section.path("expiry").asText("30m")), approvers, slack, webhook);
    }

    /** The {@code api.tokens} list; a repeated name or hash is an error at its line. */
    static List<Tokens.Entry> tokens(YamlDocument doc, JsonNode list, List<ContentError> errors) {
        List<Tokens.Entry> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode t = list.get(i);
            String name = t.path("name").asText();
            String hash = t.path("sha256").asText().toLowerCase(java.util.Locale.ROOT);
            if (!names.add(name)) {
                errors.add(doc.error("/api/tokens/" + i + "/name", "token " + name + " is listed twice"));
            } else if (!hashes.add(hash)) {
                errors.add(doc.error("/api/tokens/" + i + "/sha256", "the same hash as another token"));
            } else {
                out.add(new Tokens.Entry(name, hash, Role.parse(t.path("role").asText())));
            }
        }
        return out;
    }
}
