package dev.vigil.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.content.ContentException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The http executor against a real Vert.x server on loopback: the planned request is the one sent, and no more. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpExecutorTest {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2024-05-01T12:00:00Z"));
    private static final String KEYSTORE_PASSWORD = "changeit";

    /** One request as the server saw it: the raw request line's target, not a decoded path. */
    record Seen(String method, String uri, String contentType, String body) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** The fencing-token headers of each request, in order (empty for a request without one). */
    private final List<List<String>> fencingHeaders = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private int port;
    private int tlsPort;
    private final HttpExecutor executor = new HttpExecutor(CLOCK);

    @BeforeAll
    void startServers(@TempDir Path dir) throws Exception {
        vertx = Vertx.vertx();
        port = vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1")
                .await(5, TimeUnit.SECONDS).actualPort();
        Path keystore = selfSignedKeystore(dir);
        tlsPort = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                        .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword(KEYSTORE_PASSWORD)))
                .requestHandler(this::answer).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
    }

    @AfterAll
    void stop() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void forget() {
        seen.clear();
        fencingHeaders.clear();
    }

    private void answer(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            seen.add(new Seen(req.method().name(), req.uri(), req.getHeader("Content-Type"), body.toString()));
            fencingHeaders.add(req.headers().getAll(HttpExecutor.FENCING_HEADER));
            String path = req.path();
            if (path.startsWith("/actuator/loggers/")) {
                req.response().setStatusCode(204).end();
            } else if (path.equals("/slow")) {
                vertx.setTimer(10_000, t -> req.response().end("late"));
            } else if (path.equals("/unavailable")) {
                req.response().setStatusCode(503).end("try later");
            } else if (path.equals("/moved")) {
                req.response().setStatusCode(302).putHeader("Location", "http://127.0.0.1:" + port + "/elsewhere").end();
            } else if (path.equals("/big")) {
                req.response().end("x".repeat(1 << 20));
            } else if (path.startsWith("/items/")) {
                req.response().end("ok");
            } else {
                req.response().setStatusCode(404).end("no such thing");
            }
        });
    }

    private static Step http(String method, String url, Optional<String> body, List<Integer> expect, Duration timeout,
                             boolean insecure) {
        return new Step("call", timeout, When.ALWAYS,
                new StepAction.Http(method, url, Map.of(), body, expect, insecure, Optional.empty()));
    }

    private Step get(String path) {
        return http("GET", "http://127.0.0.1:" + port + path, Optional.empty(), List.of(200), Duration.ofSeconds(5), false);
    }

    @Test
    void lowerLogLevelPlaybook_sendsExactlyTheRequestItsDryRunPlanShows() throws ContentException {
        Playbook p = Library.playbook("lower-log-level");
        Map<String, String> values = Map.of("service", "billing", "host", "127.0.0.1", "logger", "com.example.Batch$Job",
                "level", "WARN", "admin_port", Integer.toString(port));
        PlannedStep plan = DryRunPlanner.plan(p, values).get(0);

        StepOutcome outcome = executor.run(p.steps().get(0), 0, values);

        assertEquals(StepOutcome.Status.SUCCEEDED, outcome.status(), outcome::toString);
        assertEquals("HTTP 204", outcome.output());
        assertEquals(List.of(new Seen("POST", "/actuator/loggers/com.example.Batch%24Job", "application/json",
                (String) plan.detail().get("body"))), seen);
        assertEquals(plan.detail().get("url"), "http://127.0.0.1:" + port + seen.get(0).uri());
    }

    @Test
    void temporaryChange_givesTheRunnerARevertStepThatSendsTheRevertBodyAfterItsTimeToLive() throws ContentException {
        Playbook p = Library.playbook("lower-log-level");
        Map<String, String> values = Map.of("service", "billing", "host", "127.0.0.1", "logger", "com.example.Batch",
                "level", "ERROR", "admin_port", Integer.toString(port));
        HttpExecutor.ScheduledRevert revert = HttpExecutor.revertOf(p.steps().get(0)).orElseThrow();
        assertEquals(Duration.ofHours(1), revert.after());
        assertEquals("set-logger-level-revert", revert.step().name());

        StepOutcome outcome = executor.run(revert.step(), 0, values);

        assertEquals(StepOutcome.Status.SUCCEEDED, outcome.status(), outcome::toString);
        assertEquals(List.of(new Seen("POST", "/actuator/loggers/com.example.Batch", "application/json",
                "{\"configuredLevel\":null}")), seen);
        assertEquals(DryRunPlanner.plan(p, values).get(0).detail().get("revert_body"), seen.get(0).body());
        assertTrue(HttpExecutor.revertOf(p.rollback().get(0)).isEmpty(), "a step without revert has nothing to revert");
    }

    @Test
    void hostileValue_staysInsideOnePathSegmentAndOneQueryValue() {
        Step step = http("GET", "http://127.0.0.1:" + port + "/items/{{name}}/x?q={{name}}&fixed=1", Optional.empty(),
                List.of(200), Duration.ofSeconds(5), false);
        String hostile = "a/../../admin?drop=1&x=2#frag";

        StepOutcome outcome = executor.run(step, 0, Map.of("name", hostile));

        assertEquals(StepOutcome.Status.SUCCEEDED, outcome.status(), outcome::toString);
        String encoded = "a%2F..%2F..%2Fadmin%3Fdrop%3D1%26x%3D2%23frag";
        assertEquals("/items/" + encoded + "/x?q=" + encoded + "&fixed=1", seen.get(0).uri());
    }

    @Test
    void valueThatWouldMakeADotSegment_isRefusedAndNothingIsSent() {
        Step step = http("GET", "http://127.0.0.1:" + port + "/items/{{name}}", Optional.empty(), List.of(200),
                Duration.ofSeconds(5), false);

        StepOutcome outcome = executor.run(step, 0, Map.of("name", ".."));

        assertEquals(StepOutcome.Status.REFUSED, outcome.status());
        assertEquals("a value would make the dot segment .. in the URL", outcome.error());
        assertEquals(List.of(), seen);
    }

    @Test
    void hostOrPortValueThatIsNotOne_isRefusedAndNothingIsSent() {
        Step step = http("GET", "http://{{host}}:{{port}}/items/x", Optional.empty(), List.of(200), Duration.ofSeconds(5), false);

        StepOutcome badHost = executor.run(step, 0, Map.of("host", "127.0.0.1:" + port + "/items/x?", "port", "80"));
        StepOutcome badPort = executor.run(step, 0, Map.of("host", "127.0.0.1", "port", port + "/items"));

        assertEquals(StepOutcome.Status.REFUSED, badHost.status());
        assertEquals("host \"127.0.0.1:" + port + "/items/x?\" is not a host name or an IPv4 address", badHost.error());
        assertEquals(StepOutcome.Status.REFUSED, badPort.status());
        assertEquals("port \"" + port + "/items\" is not a port number", badPort.error());
        assertEquals(List.of(), seen);
    }

    @Test
    void missingValue_isRefusedAndNothingIsSent() {
        StepOutcome outcome = executor.run(get("/items/{{name}}"), 3, Map.of());

        assertEquals(StepOutcome.Status.REFUSED, outcome.status());
        assertEquals("step call needs parameter name, which has no value", outcome.error());
        assertEquals(List.of(), seen);
    }

    @Test
    void underAFleetGrant_theRequestCarriesItsFencingToken_inPlaceOfOneThePlaybookSets() {
        Step step = new Step("restart", Duration.ofSeconds(5), When.ALWAYS, new StepAction.Http("POST",
                "http://127.0.0.1:" + port + "/items/web-1", Map.of("x-vigil-fencing-token", "999999999999"),
                Optional.empty(), List.of(200), false, Optional.empty()));

        StepOutcome granted = executor.run(step, 0, Map.of(), java.util.OptionalLong.of(4_294_967_301L));
        StepOutcome local = executor.run(get("/items/web-2"), 0, Map.of());

        assertEquals(StepOutcome.Status.SUCCEEDED, granted.status(), granted::toString);
        assertEquals(StepOutcome.Status.SUCCEEDED, local.status(), local::toString);
        assertEquals(List.of(List.of("4294967301"), List.of()), fencingHeaders);
    }

    @Test
    void jsonBodyValue_staysAJsonString() {
        Step step = http("PUT", "http://127.0.0.1:" + port + "/items/x", Optional.of("{\"level\":\"{{level}}\",\"n\":1}"),
                List.of(200), Duration.ofSeconds(5), false);

        StepOutcome outcome = executor.run(step, 0, Map.of("level", "WARN\",\"admin\":true,\"x\":\""));

        assertEquals(StepOutcome.Status.SUCCEEDED, outcome.status(), outcome::toString);
        assertEquals("{\"level\":\"WARN\\\",\\\"admin\\\":true,\\\"x\\\":\\\"\",\"n\":1}", seen.get(0).body());
    }

    @Test
    void slowServer_isCutOffAtTheStepTimeoutAsRetryable() throws Exception {
        Step step = http("GET", "http://127.0.0.1:" + port + "/slow", Optional.empty(), List.of(200),
                Duration.ofMillis(300), false);

        // the executor enforces the timeout itself: it answers long before the server would (10 s)
        StepOutcome outcome = CompletableFuture.supplyAsync(() -> executor.run(step, 0, Map.of())).get(5, TimeUnit.SECONDS);

        assertEquals(StepOutcome.Status.TIMED_OUT, outcome.status());
        assertTrue(outcome.retryable());
    }

    @Test
    void serverError_failsAsRetryable() {
        StepOutcome outcome = executor.run(get("/unavailable"), 0, Map.of());

        assertEquals(StepOutcome.Status.FAILED, outcome.status());
        assertTrue(outcome.retryable());
        assertEquals("HTTP 503, expected one of [200]", outcome.error());
        assertEquals("HTTP 503\ntry later", outcome.output());
    }

    @Test
    void clientError_failsForGood() {
        StepOutcome outcome = executor.run(get("/nothing"), 0, Map.of());

        assertEquals(StepOutcome.Status.FAILED, outcome.status());
        assertFalse(outcome.retryable());
        assertEquals("HTTP 404, expected one of [200]", outcome.error());
    }

    @Test
    void redirect_isNotFollowedAndFailsWithItsLocation() {
        StepOutcome outcome = executor.run(get("/moved"), 0, Map.of());

        assertEquals(StepOutcome.Status.FAILED, outcome.status());
        assertFalse(outcome.retryable());
        assertEquals("HTTP 302, expected one of [200] (redirects are not followed)", outcome.error());
        assertEquals("HTTP 302\nLocation: http://127.0.0.1:" + port + "/elsewhere", outcome.output());
        assertEquals(List.of("/moved"), seen.stream().map(Seen::uri).toList());
    }

    @Test
    void refusedConnection_failsAsRetryable() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Step step = http("GET", "http://127.0.0.1:" + closed + "/", Optional.empty(), List.of(200), Duration.ofSeconds(5), false);

        StepOutcome outcome = executor.run(step, 0, Map.of());

        assertEquals(StepOutcome.Status.FAILED, outcome.status());
        assertTrue(outcome.retryable());
        assertTrue(outcome.error().startsWith("GET http://127.0.0.1:" + closed + "/: ConnectException"), outcome.error());
    }

    @Test
    void largeBody_isKeptToTheOutputLimit() {
        StepOutcome outcome = executor.run(get("/big"), 0, Map.of());

        assertEquals(StepOutcome.Status.SUCCEEDED, outcome.status());
        assertTrue(outcome.output().length() < StepOutcome.OUTPUT_LIMIT + 100, () -> "length " + outcome.output().length());
        assertTrue(outcome.output().endsWith(" more characters]"), "the cut is reported");
    }

    @Test
    void selfSignedCertificate_isRefusedUnlessThePlaybookSkipsVerification() {
        String url = "https://localhost:" + tlsPort + "/items/x";

        StepOutcome verified = executor.run(http("GET", url, Optional.empty(), List.of(200), Duration.ofSeconds(5), false),
                0, Map.of());
        StepOutcome skipped = executor.run(http("GET", url, Optional.empty(), List.of(200), Duration.ofSeconds(5), true),
                0, Map.of());

        assertEquals(StepOutcome.Status.FAILED, verified.status());
        assertFalse(verified.retryable(), "a certificate that does not verify will not verify on a retry");
        assertTrue(verified.error().contains("SSLHandshakeException"), verified.error());
        assertEquals(StepOutcome.Status.SUCCEEDED, skipped.status(), skipped::toString);
        assertEquals(List.of("/items/x"), seen.stream().map(Seen::uri).toList());
    }

    /** A PKCS12 keystore with a self-signed certificate for localhost, made by the JDK's keytool. */
    private static Path selfSignedKeystore(Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", KEYSTORE_PASSWORD, "-keypass", KEYSTORE_PASSWORD)
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool failed, see " + dir.resolve("keytool.log"));
        }
        return keystore;
    }
}
