package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.api.Role;
import dev.vigil.api.Tokens;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the API, from one table: without a token or with a wrong one it answers 401, with a role below the
 * one it needs 403, with that role neither. The table must list exactly the routes the daemon's routers hold, so a new
 * route without a row here fails {@link #theTableListsEveryRouteOfTheApi}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiRolesTest {
    /** Who may call a route: a role, or a signature of the caller (Slack, Standard Webhooks) instead of a token. */
    private record Access(Optional<Role> role) {
        static final Access SIGNED = new Access(Optional.empty());

        static Access of(Role r) {
            return new Access(Optional.of(r));
        }
    }

    /** One route: method, path as the router holds it, who may call it, and a body that gets past parsing. */
    private record Row(HttpMethod method, String path, Access access) {
        String key() {
            return method.name() + " " + path;
        }

        /** The path with its parameters filled in. */
        String concrete() {
            return path.replace(":playbook", "restart-service").replace(":id", "no-such-id");
        }
    }

    private static final List<Row> ROUTES = List.of(
            new Row(HttpMethod.GET, "/api/v1/approvals", Access.of(Role.VIEWER)),
            new Row(HttpMethod.GET, "/api/v1/approvals/:id", Access.of(Role.VIEWER)),
            new Row(HttpMethod.POST, "/api/v1/approvals/:id/approve", Access.of(Role.APPROVER)),
            new Row(HttpMethod.POST, "/api/v1/approvals/:id/deny", Access.of(Role.APPROVER)),
            new Row(HttpMethod.POST, "/slack/interactivity", Access.SIGNED),
            new Row(HttpMethod.POST, "/webhooks/approvals", Access.SIGNED),
            new Row(HttpMethod.GET, "/api/v1/execution", Access.of(Role.VIEWER)),
            new Row(HttpMethod.POST, "/api/v1/kill-switch", Access.of(Role.GOVERNOR)),
            new Row(HttpMethod.POST, "/api/v1/circuits/:playbook/close", Access.of(Role.GOVERNOR)),
            new Row(HttpMethod.POST, "/api/v1/reload", Access.of(Role.GOVERNOR)),
            new Row(HttpMethod.POST, "/api/v1/signatures/:id/promote", Access.of(Role.GOVERNOR)),
            new Row(HttpMethod.GET, "/api/v1/decisions", Access.of(Role.VIEWER)),
            new Row(HttpMethod.GET, "/api/v1/audit", Access.of(Role.VIEWER)),
            new Row(HttpMethod.GET, "/api/v1/audit/verify", Access.of(Role.VIEWER)),
            new Row(HttpMethod.POST, "/api/v1/audit/verify", Access.of(Role.VIEWER)),
            new Row(HttpMethod.GET, "/api/v1/catalog/signatures", Access.of(Role.VIEWER)),
            new Row(HttpMethod.GET, "/api/v1/catalog/rules", Access.of(Role.VIEWER)),
            new Row(HttpMethod.GET, "/api/v1/catalog/playbooks", Access.of(Role.VIEWER)));

    private static final Map<Role, String> TOKENS = Map.of(Role.VIEWER, "viewer-token-roles-test",
            Role.APPROVER, "approver-token-roles-test", Role.GOVERNOR, "governor-token-roles-test");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestDaemon running;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("slack-token"), "xoxb-roles\n");
        Files.writeString(tmp.resolve("slack-secret"), "slack-signing-secret-roles\n");
        Files.writeString(tmp.resolve("webhook-secret"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
        // execute mode, so the governor routes reach the runner; the Slack and webhook peers are never called here
        running = TestDaemon.start("""
                listen: {host: 127.0.0.1, port: 0}
                data_dir: %s
                mode: execute
                host_probe: {enabled: false}
                ingest: {request_timeout: 120s}   # the reload compiles the whole library; the idle timeout must outlast it
                approvals:
                  slack: {token_file: %s, signing_secret_file: %s, channel: C0ROLES, allowed_users: [U0A], api_url: "http://127.0.0.1:9/api/"}
                  webhook: {url: "http://127.0.0.1:9/hook", secret_file: %s}
                api:
                  tokens:
                    - {name: vera, sha256: %s, role: viewer}
                    - {name: abe, sha256: %s, role: approver}
                    - {name: gus, sha256: %s, role: governor}
                """.formatted(tmp.resolve("data"), tmp.resolve("slack-token"), tmp.resolve("slack-secret"),
                tmp.resolve("webhook-secret"), Tokens.sha256(TOKENS.get(Role.VIEWER)),
                Tokens.sha256(TOKENS.get(Role.APPROVER)), Tokens.sha256(TOKENS.get(Role.GOVERNOR))));
    }

    @AfterAll
    void stop() {
        running.close();
    }

    @Test
    void theTableListsEveryRouteOfTheApi() {
        Set<String> served = new TreeSet<>();
        for (Route r : running.daemon.apiRoutes()) {
            assertTrue(r.methods() != null && !r.methods().isEmpty(), "route " + r.getPath() + " names its methods");
            r.methods().forEach(m -> served.add(m.name() + " " + r.getPath()));
        }
        Set<String> listed = new TreeSet<>();
        ROUTES.forEach(row -> listed.add(row.key()));
        assertEquals(listed, served, "every route of the API has a row in ROUTES, and every row a route");
    }

    @TestFactory
    List<DynamicTest> everyRouteRefusesCallersWithoutTheRoleItNeeds() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Row row : ROUTES) {
            tests.add(DynamicTest.dynamicTest(row.key(), () -> check(row)));
        }
        return tests;
    }

    private void check(Row row) throws Exception {
        if (row.access().role().isEmpty()) {
            HttpResponse<String> unsigned = call(row, null);
            assertEquals(401, unsigned.statusCode(), "unsigned: " + unsigned.body());
            return;
        }
        Role needed = row.access().role().get();
        HttpResponse<String> none = call(row, null);
        assertEquals(401, none.statusCode(), "no token: " + none.body());
        assertTrue(none.body().contains("\"error\""), none.body());
        assertEquals(401, call(row, "not-a-token").statusCode(), "a wrong token");
        for (Role r : Role.values()) {
            HttpResponse<String> res = call(row, TOKENS.get(r));
            if (r.covers(needed)) {
                assertNotEquals(401, res.statusCode(), r + ": " + res.body());
                assertNotEquals(403, res.statusCode(), r + ": " + res.body());
            } else {
                assertEquals(403, res.statusCode(), r + ": " + res.body());
                assertTrue(res.body().contains("this needs " + needed.wireName()), res.body());
            }
        }
    }

    private HttpResponse<String> call(Row row, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(running.base() + row.concrete())).timeout(Duration.ofSeconds(60))
                .method(row.method().name(), HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
