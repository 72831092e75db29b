package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.api.Tokens;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import dev.vigil.testing.SelfSignedCert;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code api.tls}: the daemon's listener speaks HTTPS with the configured PEM certificate and key, on loopback. */
class ApiTlsTest {
    private static final String VIEWER = "viewer-token-tls-test";

    @Test
    void theApiAndTheReceiversAnswerOverTls_andPlainHttpIsNotServed(@TempDir Path tmp) throws Exception {
        SelfSignedCert cert = SelfSignedCert.create(tmp);
        try (TestDaemon d = TestDaemon.start("""
                listen: {host: 127.0.0.1, port: 0}
                data_dir: %s
                host_probe: {enabled: false}
                api:
                  tls: {cert_file: %s, key_file: %s}
                  tokens:
                    - {name: vera, sha256: %s, role: viewer}
                """.formatted(tmp.resolve("data"), cert.certFile(), cert.keyFile(), Tokens.sha256(VIEWER)))) {
            URI https = URI.create("https://127.0.0.1:" + d.daemon.httpPort());
            HttpClient trusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(cert.trustingIt())
                    .connectTimeout(Duration.ofSeconds(10)).build();

            HttpResponse<String> execution = trusting.send(HttpRequest.newBuilder(https.resolve("/api/v1/execution"))
                    .header("Authorization", "Bearer " + VIEWER).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, execution.statusCode(), execution.body());
            assertTrue(execution.body().contains("\"mode\":\"dry-run\""), execution.body());
            assertEquals(401, trusting.send(HttpRequest.newBuilder(https.resolve("/api/v1/decisions")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, trusting.send(HttpRequest.newBuilder(https.resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "the shared listener: receivers and health too");

            HttpClient defaultTrust = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            assertThrows(SSLHandshakeException.class, () -> defaultTrust.send(HttpRequest.newBuilder(https.resolve("/healthz"))
                    .build(), HttpResponse.BodyHandlers.ofString()), "a client that does not trust the certificate");
            URI plain = URI.create("http://127.0.0.1:" + d.daemon.httpPort() + "/api/v1/execution");
            assertThrows(IOException.class, () -> defaultTrust.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + VIEWER).build(), HttpResponse.BodyHandlers.ofString()),
                    "no token travels in plain text");
        }
    }

    @Test
    void aCertificateFileThatCannotBeReadFailsTheStartNamingTheField(@TempDir Path tmp) {
        ContentException e = assertThrows(ContentException.class, () -> DaemonConfig.parse(new ContentFile("vigil.yaml", """
                api:
                  tls: {cert_file: %s, key_file: %s}
                """.formatted(tmp.resolve("missing-cert.pem"), tmp.resolve("missing-key.pem")))));
        String message = e.getMessage();
        assertTrue(message.contains("cert_file") && message.contains("cannot read " + tmp.resolve("missing-cert.pem")), message);
        assertTrue(message.contains("key_file") && message.contains("cannot read " + tmp.resolve("missing-key.pem")), message);
    }

    @Test
    void tlsNeedsBothFiles() {
        ContentException e = assertThrows(ContentException.class, () -> DaemonConfig.parse(new ContentFile("vigil.yaml", """
                api:
                  tls: {cert_file: /etc/vigil/cert.pem}
                """)));
        assertTrue(e.getMessage().contains("key_file"), e.getMessage());
    }
}
