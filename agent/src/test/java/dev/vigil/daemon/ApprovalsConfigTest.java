package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.api.Role;
import dev.vigil.api.Tokens;
import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApprovalsConfigTest {
    private static final String HASH = Tokens.sha256("secret-token");

    @Test
    void withoutASectionRequestsWaitThirtyMinutesForAnyApproverAndNoChannelIsSetUp() {
        DaemonConfig d = DaemonConfig.defaults();
        assertEquals(Duration.ofMinutes(30), d.approvals().expiry());
        assertTrue(d.approvals().approvers().isEmpty());
        assertTrue(d.approvals().slack().isEmpty());
        assertTrue(d.approvals().webhook().isEmpty());
        assertTrue(d.apiTokens().isEmpty());
    }

    @Test
    void theSectionsAreReadAsWritten() throws Exception {
        DaemonConfig d = DaemonConfig.parse(new ContentFile("c.yaml", """
                approvals:
                  expiry: 10m
                  approvers: [alice, bob]
                  slack: {token_file: /etc/vigil/slack-token, signing_secret_file: /etc/vigil/slack-secret,
                          channel: C0APPROVE, allowed_users: [U0ALICE]}
                  webhook: {url: "https://incidents.example/hooks/vigil", secret_file: /etc/vigil/webhook-secret}
                api:
                  tokens:
                    - {name: alice, sha256: %s, role: approver}
                """.formatted(HASH)));
        assertEquals(Duration.ofMinutes(10), d.approvals().expiry());
        assertEquals(Set.of("alice", "bob"), d.approvals().approvers());
        ApprovalsConfig.Slack slack = d.approvals().slack().orElseThrow();
        assertEquals(Path.of("/etc/vigil/slack-token"), slack.tokenFile());
        assertEquals(java.util.Map.of("U0ALICE", "slack:U0ALICE"), slack.approverByUser(), "a user without a name");
        assertEquals(ApprovalsConfig.SLACK_API, slack.apiUrl().toString());
        assertEquals("https://incidents.example/hooks/vigil", d.approvals().webhook().orElseThrow().url().toString());
        assertEquals(List.of(new Tokens.Entry("alice", HASH, Role.APPROVER)), d.apiTokens());
        assertTrue(d.apiTokens().toString().contains("<secret>") && !d.apiTokens().toString().contains(HASH),
                "hashes do not print");
    }

    @Test
    void slackUsersMappedToApproverNamesAnswerAsThoseNames() throws Exception {
        DaemonConfig d = DaemonConfig.parse(new ContentFile("c.yaml", """
                approvals:
                  approvers: [alice, bob]
                  slack: {token_file: t, signing_secret_file: s, channel: C0APPROVE,
                          allowed_users: {U0ALICE: alice, U0BOB: bob}}
                """));
        assertEquals(java.util.Map.of("U0ALICE", "alice", "U0BOB", "bob"), d.approvals().slack().orElseThrow().approverByUser());
        ContentException e = assertThrows(ContentException.class, () -> DaemonConfig.parse(new ContentFile("bad.yaml", """
                approvals:
                  slack: {token_file: t, signing_secret_file: s, channel: C1, allowed_users: {alice: U0ALICE}}
                """)));
        assertTrue(e.errors().get(0).toString().startsWith("bad.yaml:2: approvals.slack.allowed_users"), e.errors().toString());
    }

    @Test
    void badTokensAndChannelsAreListedByLineAndField() {
        ContentException e = assertThrows(ContentException.class, () -> DaemonConfig.parse(new ContentFile("bad.yaml", """
                approvals:
                  slack: {token_file: t, signing_secret_file: s, channel: C1, allowed_users: [alice]}
                  webhook: {url: "ftp://x", secret_file: w}
                api:
                  tokens:
                    - {name: alice, sha256: abc, role: approver}
                    - {name: bob, sha256: %s, role: admin}
                """.formatted(HASH))));
        List<String> lines = e.errors().stream().map(ContentError::toString).toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:2: approvals.slack.allowed_users")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:3: approvals.webhook.url")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:6: api.tokens") && l.contains("sha256")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bad.yaml:7: api.tokens") && l.contains("role")), lines.toString());
    }

    @Test
    void aTokenNameListedTwiceIsAnError() {
        ContentException e = assertThrows(ContentException.class, () -> DaemonConfig.parse(new ContentFile("dup.yaml", """
                api:
                  tokens:
                    - {name: alice, sha256: %s, role: approver}
                    - {name: alice, sha256: %s, role: viewer}
                """.formatted(HASH, Tokens.sha256("other")))));
        assertEquals("dup.yaml:4: api.tokens[1].name: token alice is listed twice", e.errors().get(0).toString()
                .replace("api.tokens.1.name", "api.tokens[1].name"));
    }
}
