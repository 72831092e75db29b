package dev.vigil.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How a command reaches a running daemon's API: {@code --url} and a bearer token from {@code --token-file} or the
 * {@code VIGIL_TOKEN} environment variable. A picocli mixin; not thread-safe.
 */
final class DaemonClient {
    @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:9795",
            description = "The daemon's HTTP address (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the API token (default: the VIGIL_TOKEN environment variable).")
    Path tokenFile;

    /** A response: status and body. */
    record Response(int status, String body) {
    }

    /** Thrown when the daemon cannot be asked (no token, unreachable); the message says why. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    Response get(String path) throws Unavailable {
        return send(HttpRequest.newBuilder(resolve(path)).GET());
    }

    Response post(String path, String json) throws Unavailable {
        return send(HttpRequest.newBuilder(resolve(path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    private URI resolve(String path) {
        String base = url.toString().replaceAll("/+$", "");
        return URI.create(base + path);
    }

    private Response send(HttpRequest.Builder req) throws Unavailable {
        String token = token();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> res = http.send(req.timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(res.statusCode(), res.body());
        } catch (IOException e) {
            throw new Unavailable("cannot reach the daemon at " + url + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
    }

    private String token() throws Unavailable {
        String token;
        if (tokenFile != null) {
            try {
                token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new Unavailable("cannot read --token-file " + tokenFile + ": " + e.getMessage());
            }
        } else {
            token = System.getenv("VIGIL_TOKEN");
        }
        if (token == null || token.isBlank()) {
            throw new Unavailable("no API token: pass --token-file FILE or set VIGIL_TOKEN");
        }
        return token.strip();
    }
}
