package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.api.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The governor routes on a daemon in execute mode: tokens and roles, the kill switch, circuits, reload. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GovernorApiTest {
    private static final String VIEWER = "viewer-token-0123456789";
    private static final String GOVERNOR = "governor-token-0123456789";
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private TestDaemon running;
    private Path journal;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        running = TestDaemon.start("""
                listen: {host: 127.0.0.1, port: 0}
                data_dir: %s
                mode: execute
                host_probe: {enabled: false}
                api:
                  tokens:
                    - {name: vera, sha256: %s, role: viewer}
                    - {name: alice, sha256: %s, role: governor}
                """.formatted(tmp.resolve("data"), Tokens.sha256(VIEWER), Tokens.sha256(GOVERNOR)));
        journal = tmp.resolve("data/audit.jsonl");
    }

    @AfterAll
    void stop() {
        running.close();
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(running.base() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyRouteWantsATokenAndChangesWantAGovernor() throws Exception {
        assertEquals(401, call("GET", "/api/v1/execution", null, null).statusCode());
        assertEquals(401, call("POST", "/api/v1/kill-switch", "not-a-token", "{\"engaged\":true,\"reason\":\"x\"}").statusCode());
        assertEquals(200, call("GET", "/api/v1/execution", VIEWER, null).statusCode());
        assertEquals(403, call("POST", "/api/v1/kill-switch", VIEWER, "{\"engaged\":true,\"reason\":\"x\"}").statusCode());
        assertEquals(403, call("POST", "/api/v1/circuits/restart-service/close", VIEWER, null).statusCode());
        assertEquals(403, call("POST", "/api/v1/reload", VIEWER, null).statusCode());
        assertTrue(running.daemon.runner().orElseThrow().killSwitch().engaged().isEmpty(), "nothing changed");
    }

    @Test
    void aGovernorPullsAndReleasesTheKillSwitchAndItIsJournalled() throws Exception {
        HttpResponse<String> on = call("POST", "/api/v1/kill-switch", GOVERNOR, "{\"engaged\":true,\"reason\":\"incident 42\"}");
        assertEquals(200, on.statusCode(), on.body());
        assertEquals("kill switch engaged: incident 42 (by alice)", running.daemon.runner().orElseThrow().killSwitch().engaged().orElseThrow());
        assertTrue(on.body().contains("\"kill_switch\":\"kill switch engaged: incident 42 (by alice)\""), on.body());
        assertEquals(400, call("POST", "/api/v1/kill-switch", GOVERNOR, "{\"engaged\":true}").statusCode(), "a reason is needed");

        assertEquals(200, call("POST", "/api/v1/kill-switch", GOVERNOR, "{\"engaged\":false}").statusCode());
        assertTrue(running.daemon.runner().orElseThrow().killSwitch().engaged().isEmpty());
        String records = Files.readString(journal);
        assertTrue(records.contains("\"governor\":\"alice\"") && records.contains("\"reason\":\"incident 42\""), "journalled");
    }

    @Test
    void closingACircuitThatIsNotOpenIsNotFound() throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/circuits/restart-service/close", GOVERNOR, null);
        assertEquals(404, r.statusCode(), r.body());
        assertTrue(r.body().contains("not open"), r.body());
    }

    @Test
    void aReloadThroughTheApiNamesItsCaller() throws Exception {
        HttpResponse<String> r = call("POST", "/api/v1/reload", GOVERNOR, null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("api:alice"), r.body());
    }
}
