package dev.vigil.api;

import dev.vigil.audit.JournalQuery;
import dev.vigil.playbook.Playbook;
import dev.vigil.signature.RuleRef;
import dev.vigil.signature.Signature;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The content that runs now, with what it did: signatures (live and in shadow) with their diagnoses and decisions by
 * kind, rules with how often the evidence they observe started to hold, playbooks with their plans, runs, outcomes
 * (verified, failed, rolled back, …) and the latest outcomes. The counts cover the whole journal ({@link CatalogTally}).
 * Work runs on worker threads. Thread-safe once built.
 *
 * <pre>
 * GET /api/v1/catalog/signatures[?limit]   viewer
 * GET /api/v1/catalog/rules[?limit]        viewer
 * GET /api/v1/catalog/playbooks[?limit]    viewer
 * </pre>
 */
public final class CatalogRoutes {
    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 5000;

    /** The content running now, bound by the daemon (it changes with each reload). */
    public interface Source {
        Collection<Signature> signatures();

        Collection<Signature> shadow();

        List<RuleRef> rules();

        Collection<Playbook> playbooks();

        /** Playbooks whose circuit is open (none in dry-run). */
        Set<String> openCircuits();
    }

    private final Vertx vertx;
    private final Tokens tokens;
    private final Source source;
    private final CatalogTally tally;

    public CatalogRoutes(Vertx vertx, Tokens tokens, Source source, JournalQuery journal) {
        this.vertx = vertx;
        this.tokens = tokens;
        this.source = source;
        this.tally = new CatalogTally(journal);
    }

    /** Whether this router serves {@code path}. */
    public static boolean serves(String path) {
        return path.startsWith("/api/v1/catalog/");
    }

    public Router router() {
        Router r = Router.router(vertx);
        r.get("/api/v1/catalog/signatures").handler(tokens.require(Role.VIEWER)).handler(ctx -> list(ctx, "signatures", this::signatures));
        r.get("/api/v1/catalog/rules").handler(tokens.require(Role.VIEWER)).handler(ctx -> list(ctx, "rules", this::rules));
        r.get("/api/v1/catalog/playbooks").handler(tokens.require(Role.VIEWER)).handler(ctx -> list(ctx, "playbooks", this::playbooks));
        r.route().last().handler(ctx -> Json.error(ctx, 404, "no such path: " + ctx.request().method() + " " + ctx.request().path()));
        return r;
    }

    private void list(RoutingContext ctx, String name, Callable<List<Map<String, Object>>> entries) {
        int limit;
        try {
            limit = new Params(ctx, Set.of("limit")).limit(DEFAULT_LIMIT, MAX_LIMIT);
        } catch (Params.Bad bad) {
            Json.badParameter(ctx, bad);
            return;
        }
        KeepAlive alive = KeepAlive.start(vertx, ctx); // the first request reads the whole journal
        vertx.executeBlocking(() -> {
            tally.refresh();
            List<Map<String, Object>> all = entries.call();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put(name, all.size() > limit ? all.subList(0, limit) : all);
            body.put("total", all.size());
            body.put("counted_since", tally.since());
            body.put("counted_through_seq", tally.through());
            return body;
        }, false).onComplete(res -> {
            alive.stop();
            if (res.failed()) {
                Json.error(ctx, 500, "cannot read the journal: " + res.cause());
            } else {
                Json.send(ctx, 200, res.result());
            }
        });
    }

    private List<Map<String, Object>> signatures() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Signature s : sorted(source.signatures())) {
            out.add(signature(s, false));
        }
        for (Signature s : sorted(source.shadow())) {
            out.add(signature(s, true));
        }
        return out;
    }

    private Map<String, Object> signature(Signature s, boolean shadow) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("title", s.title());
        m.put("severity", s.severity());
        m.put("predictive", s.predictive());
        m.put("shadow", shadow);
        m.put("file", s.file());
        m.put("sha256", s.sha256());
        m.put("playbooks", s.playbooks());
        m.put("evidence", new java.util.TreeSet<>(s.evidence().keySet()));
        m.put("contraindications", new java.util.TreeSet<>(s.contraindications().keySet()));
        // a shadow version shares its id with the live one: its decisions are those of kind shadow
        m.putAll(tally.hitsOfSignature(s.id()));
        return m;
    }

    private List<Map<String, Object>> rules() {
        List<Map<String, Object>> out = new ArrayList<>();
        List<RuleRef> rules = new ArrayList<>(source.rules());
        rules.sort(Comparator.comparing(RuleRef::file).thenComparingInt(RuleRef::line));
        for (RuleRef r : rules) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("file", r.file());
            m.put("line", r.line());
            m.put("signature", r.signature());
            m.put("evidence", r.evidence());
            m.put("contraindication", r.contraindication());
            // the journal records evidence as it starts to hold, per signature and key; contraindications are not
            // journalled when they change, so a contraindication rule has no count
            m.put("evidence_started", r.signature() != null && r.evidence() != null
                    ? tally.evidenceHeld(r.signature(), r.evidence()) : null);
            out.add(m);
        }
        return out;
    }

    private List<Map<String, Object>> playbooks() {
        Set<String> open = source.openCircuits();
        List<Playbook> all = new ArrayList<>(source.playbooks());
        all.sort(Comparator.comparing(Playbook::id));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Playbook p : all) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("title", p.title());
            m.put("risk", p.risk().wireName());
            m.put("file", p.sourceFile());
            m.put("sha256", p.sha256());
            m.put("circuit", open.contains(p.id()) ? "open" : "closed");
            m.putAll(tally.hitsOfPlaybook(p.id()));
            out.add(m);
        }
        return out;
    }

    private static List<Signature> sorted(Collection<Signature> signatures) {
        List<Signature> out = new ArrayList<>(signatures);
        out.sort(Comparator.comparing(Signature::id));
        return out;
    }
}
