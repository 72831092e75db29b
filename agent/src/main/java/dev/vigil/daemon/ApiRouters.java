package dev.vigil.daemon;

import dev.vigil.audit.AuditJournal;
import dev.vigil.api.ApprovalRoutes;
import dev.vigil.api.AuditRoutes;
import dev.vigil.api.CatalogRoutes;
import dev.vigil.api.GovernorRoutes;
import dev.vigil.api.Tokens;
import dev.vigil.audit.AuditVerifier;
import dev.vigil.audit.JournalQuery;
import dev.vigil.audit.SigningKey;
import dev.vigil.audit.VerifyResult;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The governors' API on the daemon's HTTP listener: approvals, governor controls, the journal (decisions, records,
 * verification) and the catalog, each a router of its own, picked by path. Immutable once built; thread-safe.
 *
 * <p>The API shares the one listener with the receivers, so {@code api.tls} makes that listener HTTPS for all of
 * them: one port, one certificate, and no route that carries a token can be reached in plain text by mistake. Senders
 * (Prometheus remote_write, OTLP exporters, Alertmanager) then need {@code https://} and the CA. Without
 * {@code api.tls}, keep the listener on loopback.
 */
final class ApiRouters {
    /** How often a verification that ends in a torn last line of the active file is repeated (see {@link #verify}). */
    private static final int TORN_RETRIES = 3;

    private record Mounted(Predicate<String> serves, Router router) {
    }

    private final List<Mounted> mounted = new ArrayList<>();

    ApiRouters(Vertx vertx, Tokens tokens, Router approvals, GovernorRoutes.Controls controls, CatalogRoutes.Source catalog,
               Optional<Path> journalFile, Optional<SigningKey> signingKey) {
        mounted.add(new Mounted(ApprovalRoutes::serves, approvals));
        mounted.add(new Mounted(GovernorRoutes::serves, new GovernorRoutes(vertx, tokens, controls).router()));
        // an in-memory journal (tests of other parts) has no files: its routes answer from an empty journal
        Path file = journalFile.orElse(Path.of("(no journal file)", AuditJournal.FILE_NAME));
        JournalQuery query = new JournalQuery(file);
        Optional<PublicKey> key = signingKey.map(SigningKey::publicKey);
        mounted.add(new Mounted(AuditRoutes::serves, new AuditRoutes(vertx, tokens, query, () -> verify(file, key)).router()));
        mounted.add(new Mounted(CatalogRoutes::serves, new CatalogRoutes(vertx, tokens, catalog, query).router()));
    }

    /**
     * Verifies the journal as {@code vigil audit verify --public-key} does, with the public key of the configured
     * signing key. The daemon writes while this reads: a torn last line in the active file is a record being written
     * (a torn line left by a crash is sealed away when the journal opens), so that case is verified again.
     */
    static VerifyResult verify(Path file, Optional<PublicKey> key) throws java.io.IOException {
        VerifyResult r = AuditVerifier.verify(file, key);
        for (int i = 0; i < TORN_RETRIES && r.tornTail() && Path.of(r.file()).equals(file); i++) {
            r = AuditVerifier.verify(file, key);
        }
        return r;
    }

    /** Serves {@code req} if it is an API path; false leaves it to the receivers and the daemon's own routes. */
    boolean handle(HttpServerRequest req) {
        for (Mounted m : mounted) {
            if (m.serves().test(req.path())) {
                m.router().handle(req);
                return true;
            }
        }
        return false;
    }

    /** Every route of the API, as the routers hold them (the catch-all 404 handlers have no path). */
    List<Route> routes() {
        List<Route> out = new ArrayList<>();
        for (Mounted m : mounted) {
            for (Route r : m.router().getRoutes()) {
                if (r.getPath() != null) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** Turns on TLS with the PEM certificate and key of {@code api.tls}, when configured. */
    static HttpServerOptions tls(HttpServerOptions options, Optional<DaemonConfig.Tls> tls) {
        tls.ifPresent(t -> options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(t.certFile().toString()).setKeyPath(t.keyFile().toString())));
        return options;
    }
}
