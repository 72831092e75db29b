package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.Tokens;
import dev.vigil.audit.AuditJournal;
import dev.vigil.content.ContentFile;
import dev.vigil.content.ContentSource;
import dev.vigil.testing.ContentCopy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A governor promotes a signature out of shadow over the API; a promotion that would break the content is undone. */
class PromoteApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GOVERNOR = "governor-token-promote-test";
    private static final String POOL = "db-connection-pool-exhaustion";
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Daemon daemon;

    @TempDir
    Path tmp;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** A daemon on a copy of the content, with an empty {@code signatures/shadow/}; returns the copy. */
    private Path start() throws Exception {
        Path content = ContentCopy.of(tmp.resolve("content"));
        Files.createDirectories(content.resolve("signatures/shadow"));
        DaemonConfig config = DaemonConfig.parse(new ContentFile("test.yaml", """
                listen: {host: 127.0.0.1, port: 0}
                data_dir: %s
                content_dir: %s
                host_probe: {enabled: false}
                ingest: {request_timeout: 120s}   # a promotion compiles the whole library
                api:
                  tokens: [{name: gus, sha256: %s, role: governor}]
                """.formatted(tmp.resolve("data"), content, Tokens.sha256(GOVERNOR))));
        AuditJournal journal = AuditJournal.open(Files.createDirectories(config.dataDir()).resolve("audit.jsonl"), InstantSource.system());
        daemon = Daemon.start(config, Content.load(ContentSource.directory(content)), PolicyFile.defaults(), journal,
                new PrintWriter(new StringWriter(), true), InstantSource.system(), "probe-host");
        return content;
    }

    private HttpResponse<String> call(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.httpPort() + path))
                .header("Authorization", "Bearer " + GOVERNOR).timeout(Duration.ofSeconds(150))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<Boolean> shadowFlagsOf(String id) throws Exception {
        List<Boolean> flags = new ArrayList<>();
        for (JsonNode s : JSON.readTree(call("GET", "/api/v1/catalog/signatures").body()).path("signatures")) {
            if (s.path("id").asText().equals(id)) {
                flags.add(s.path("shadow").asBoolean());
            }
        }
        return flags;
    }

    @Test
    void aPromotedShadowVersionReplacesTheLiveOneAndTheReloadNamesTheGovernor() throws Exception {
        Path content = start();
        Files.writeString(content.resolve("signatures/shadow/" + POOL + ".yaml"),
                Files.readString(content.resolve("signatures/" + POOL + ".yaml")).replace("prior: 0.2", "prior: 0.01"));
        daemon.reloader().reload("test"); // what the file watch does too; done here so the test need not wait for it
        assertEquals(List.of(false, true), shadowFlagsOf(POOL), "live and shadow versions side by side");

        HttpResponse<String> r = call("POST", "/api/v1/signatures/" + POOL + "/promote");

        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("api:gus (promote " + POOL + ")"), r.body());
        assertTrue(Files.readString(content.resolve("signatures/" + POOL + ".yaml")).contains("prior: 0.01"));
        assertFalse(Files.exists(content.resolve("signatures/shadow/" + POOL + ".yaml")));
        assertEquals(List.of(false), shadowFlagsOf(POOL));
        assertTrue(Files.readString(tmp.resolve("data/audit.jsonl")).contains("(promote " + POOL + ")"), "journalled");

        HttpResponse<String> again = call("POST", "/api/v1/signatures/" + POOL + "/promote");
        assertEquals(404, again.statusCode(), again.body());
        assertEquals("id", JSON.readTree(again.body()).path("parameter").asText());
    }

    @Test
    void aPromotionThatBreaksTheContentIsRefusedWithItsErrors_andTheFilesGoBack() throws Exception {
        Path content = start();
        // a shadow version that does not validate (the file watch rejects it too; nothing changes until promoted)
        Files.writeString(content.resolve("signatures/shadow/disk-full.yaml"), "id: disk-full\ntitle: broken\nprior: 7\n");
        String live = Files.readString(content.resolve("signatures/disk-full.yaml"));

        HttpResponse<String> r = call("POST", "/api/v1/signatures/disk-full/promote");

        assertEquals(422, r.statusCode(), r.body());
        assertFalse(JSON.readTree(r.body()).path("errors").isEmpty(), r.body());
        assertEquals(live, Files.readString(content.resolve("signatures/disk-full.yaml")), "the live version is back");
        assertTrue(Files.exists(content.resolve("signatures/shadow/disk-full.yaml")), "the shadow version stays in shadow");
    }
}
