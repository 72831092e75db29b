package dev.vigil.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.audit.AuditRecord;
import dev.vigil.audit.JournalQuery;
import dev.vigil.audit.VerifyResult;
import dev.vigil.fact.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * What the journal says, for viewers: decisions with filters, the records of one decision or incident or of a time
 * range, and a full verification of the chain. Everything is read from the journal files (nothing is copied into
 * memory), on worker threads, at most {@value #SCANS} reads at once (more get 503 and {@code Retry-After}), one
 * verification at a time (a second request waits for the running one). Pages are bounded; a cursor asks for the next.
 * Thread-safe once built.
 *
 * <pre>
 * GET      /api/v1/decisions?since&amp;until&amp;signature&amp;target&amp;kind&amp;limit&amp;before   viewer  newest first
 * GET      /api/v1/audit?decision=ID | incident=ID | since&amp;until [&amp;type&amp;after&amp;limit]  viewer  oldest first
 * GET|POST /api/v1/audit/verify                                                        viewer  as vigil audit verify
 * </pre>
 *
 * <p>An <em>incident</em> is one diagnosis from its opening to its clearing, named by the id of the decision taken on
 * it: its {@code diagnosis.opened}, the evidence that came and went for its signature and target, the decision, the
 * approvals and playbook runs of the decision, and its {@code diagnosis.cleared}.
 */
public final class AuditRoutes {
    static final int SCANS = 2;
    static final int DECISIONS_DEFAULT = 50;
    static final int DECISIONS_MAX = 500;
    static final int RECORDS_DEFAULT = 100;
    static final int RECORDS_MAX = 1000;
    private static final Set<String> KINDS = Set.of("execute", "approve", "notify", "suppress", "shadow");

    /** Verifies the whole journal as {@code vigil audit verify} does; blocks for as long as that takes. */
    public interface Verifier {
        VerifyResult verify() throws Exception;
    }

    private final Vertx vertx;
    private final Tokens tokens;
    private final JournalQuery journal;
    private final Verifier verifier;
    private final Semaphore scans = new Semaphore(SCANS);
    private Future<VerifyResult> verifying; // guarded by this

    public AuditRoutes(Vertx vertx, Tokens tokens, JournalQuery journal, Verifier verifier) {
        this.vertx = vertx;
        this.tokens = tokens;
        this.journal = journal;
        this.verifier = verifier;
    }

    /** Whether this router serves {@code path}. */
    public static boolean serves(String path) {
        return path.equals("/api/v1/decisions") || path.equals("/api/v1/audit") || path.startsWith("/api/v1/audit/");
    }

    public Router router() {
        Router r = Router.router(vertx);
        r.get("/api/v1/decisions").handler(tokens.require(Role.VIEWER)).handler(this::decisions);
        r.get("/api/v1/audit").handler(tokens.require(Role.VIEWER)).handler(this::records);
        r.get("/api/v1/audit/verify").handler(tokens.require(Role.VIEWER)).handler(this::verify);
        r.post("/api/v1/audit/verify").handler(tokens.require(Role.VIEWER)).handler(this::verify);
        r.route().last().handler(ctx -> Json.error(ctx, 404, "no such path: " + ctx.request().method() + " " + ctx.request().path()));
        return r;
    }

    private void decisions(RoutingContext ctx) {
        JournalQuery.Window window;
        Predicate<AuditRecord> match;
        int limit;
        try {
            Params p = new Params(ctx, Set.of("since", "until", "signature", "target", "kind", "limit", "before"));
            window = window(p).before(p.seq("before", Long.MAX_VALUE));
            limit = p.limit(DECISIONS_DEFAULT, DECISIONS_MAX);
            match = r -> true;
            Optional<String> signature = p.text("signature");
            if (signature.isPresent()) {
                match = match.and(r -> r.data().path("signature").asText().equals(signature.get()));
            }
            Optional<String> kind = p.text("kind");
            if (kind.isPresent()) {
                if (!KINDS.contains(kind.get())) {
                    throw new Params.Bad("kind", "must be one of execute, approve, notify, suppress, shadow, was "
                            + Params.quoted(kind.get()));
                }
                match = match.and(r -> r.data().path("decision").asText().equals(kind.get()));
            }
            Optional<String> target = p.text("target");
            if (target.isPresent()) {
                match = match.and(targetMatch(target.get()));
            }
        } catch (Params.Bad bad) {
            Json.badParameter(ctx, bad);
            return;
        }
        JournalQuery.Window w = window;
        Predicate<AuditRecord> m = match;
        scan(ctx, () -> {
            JournalQuery.Page page = journal.newestFirst(w, "decision", m, limit);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("decisions", page.records().stream().map(AuditRoutes::flat).toList());
            page.next().ifPresent(seq -> body.put("next_before", seq));
            body.put("unreadable_lines", page.unreadable());
            return body;
        });
    }

    /**
     * {@code service=checkout,host=app-1}: every label named must have that value; a bare {@code checkout}: any label
     * has that value.
     */
    static Predicate<AuditRecord> targetMatch(String text) throws Params.Bad {
        if (!text.contains("=")) {
            return r -> {
                for (Iterator<JsonNode> it = r.data().path("target").elements(); it.hasNext(); ) {
                    if (it.next().asText().equals(text)) {
                        return true;
                    }
                }
                return false;
            };
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq < 1 || eq == pair.length() - 1) {
                throw new Params.Bad("target", "must be VALUE or LABEL=VALUE[,LABEL=VALUE…], was " + Params.quoted(text));
            }
            wanted.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return r -> {
            JsonNode labels = r.data().path("target");
            return wanted.entrySet().stream().allMatch(e -> labels.path(e.getKey()).asText("\u0000").equals(e.getValue()));
        };
    }

    private void records(RoutingContext ctx) {
        Optional<String> decision;
        Optional<String> incident;
        Optional<String> type;
        JournalQuery.Window window;
        int limit;
        try {
            Params p = new Params(ctx, Set.of("decision", "incident", "since", "until", "type", "after", "limit"));
            decision = p.text("decision");
            incident = p.text("incident");
            type = p.text("type");
            if (decision.isPresent() && incident.isPresent()) {
                throw new Params.Bad("incident", "give decision or incident, not both");
            }
            if (decision.isEmpty() && incident.isEmpty() && !p.has("since") && !p.has("until")) {
                throw new Params.Bad("decision", "say which records: decision=ID, incident=ID, or a time range with "
                        + "since and/or until");
            }
            window = window(p).after(p.seq("after", 0));
            limit = p.limit(RECORDS_DEFAULT, RECORDS_MAX);
        } catch (Params.Bad bad) {
            Json.badParameter(ctx, bad);
            return;
        }
        scan(ctx, () -> {
            JournalQuery.Page page;
            if (incident.isPresent()) {
                Optional<JournalQuery.Page> story = Incidents.story(journal, incident.get(), window, limit);
                if (story.isEmpty()) {
                    return new NotFound("incident", "no decision " + incident.get() + " in the journal");
                }
                page = story.get();
            } else if (decision.isPresent()) {
                String id = decision.get();
                page = journal.forward(window, type.orElse(null), r -> Incidents.ofDecision(r, id), limit);
            } else {
                page = journal.forward(window, type.orElse(null), r -> true, limit);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("records", page.records());
            page.next().ifPresent(seq -> body.put("next_after", seq));
            body.put("unreadable_lines", page.unreadable());
            return body;
        });
    }

    /** The since/until parameters; since after until is an error on since. */
    private static JournalQuery.Window window(Params p) throws Params.Bad {
        Instant since = p.instant("since").orElse(Instant.MIN);
        Instant until = p.instant("until").orElse(Instant.MAX);
        if (since.isAfter(until)) {
            throw new Params.Bad("since", "is after until");
        }
        return JournalQuery.Window.ALL.between(since, until);
    }

    /** A 404 for a query that names something the journal does not hold. */
    private record NotFound(String parameter, String message) {
    }

    /** Runs a journal read on a worker, if one of the {@value #SCANS} slots is free. */
    private void scan(RoutingContext ctx, Callable<Object> read) {
        if (!scans.tryAcquire()) {
            ctx.response().putHeader("Retry-After", "1");
            Json.error(ctx, 503, "the journal is being read by " + SCANS + " requests already; try again");
            return;
        }
        vertx.executeBlocking(() -> {
            try {
                return read.call();
            } finally {
                scans.release();
            }
        }, false).onComplete(res -> {
            if (res.failed()) {
                Json.error(ctx, 500, "cannot read the journal: " + res.cause());
            } else if (res.result() instanceof NotFound nf) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("error", nf.message());
                body.put("parameter", nf.parameter());
                Json.send(ctx, 404, body);
            } else {
                Json.send(ctx, 200, res.result());
            }
        });
    }

    private void verify(RoutingContext ctx) {
        Future<VerifyResult> f;
        synchronized (this) {
            f = verifying;
            if (f == null) {
                Future<VerifyResult> mine = vertx.executeBlocking(verifier::verify, false);
                verifying = mine;
                f = mine;
                // may run at once, here, when the verification already finished
                mine.onComplete(x -> {
                    synchronized (this) {
                        if (verifying == mine) {
                            verifying = null;
                        }
                    }
                });
            }
        }
        KeepAlive alive = KeepAlive.start(vertx, ctx); // a long journal takes a while
        f.onComplete(res -> {
            alive.stop();
            if (res.failed()) {
                Json.error(ctx, 500, "cannot read the journal: " + res.cause().getMessage());
                return;
            }
            Json.send(ctx, 200, verification(res.result()));
        });
    }

    static Map<String, Object> verification(VerifyResult v) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", v.ok());
        body.put("records", v.records());
        body.put("checkpoints", v.checkpoints());
        body.put("signatures_checked", v.signatures());
        body.put("torn_tail", v.tornTail());
        if (!v.ok()) {
            Map<String, Object> bad = new LinkedHashMap<>();
            bad.put("file", v.file());
            bad.put("line", v.firstBrokenLine());
            bad.put("seq", v.brokenSeq());
            bad.put("reason", v.reason());
            body.put("first_bad", bad);
        }
        body.put("recoveries", v.recoveries());
        body.put("summary", v.describe());
        return body;
    }

    /** A decision record as one flat object: where it is in the journal, then its data. */
    private static Map<String, Object> flat(AuditRecord r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seq", r.seq());
        out.put("time", r.time());
        out.put("hash", r.hash());
        r.data().fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The records of one incident; see the class comment. Stateless. */
    static final class Incidents {
        private Incidents() {
        }

        /** Whether {@code r} is about the decision {@code id}: the decision itself, its approvals, runs and clearing. */
        static boolean ofDecision(AuditRecord r, String id) {
            JsonNode d = r.data();
            return r.type().equals("decision") ? d.path("id").asText().equals(id) : d.path("decision").asText().equals(id);
        }

        /**
         * The incident's records in the window, oldest first; empty when the journal has no decision {@code id}. Reads
         * the journal twice: once to find the decision, once to gather its story.
         */
        static Optional<JournalQuery.Page> story(JournalQuery journal, String id, JournalQuery.Window window, int limit)
                throws java.io.IOException {
            JournalQuery.Page found = journal.forward(JournalQuery.Window.ALL, "decision",
                    r -> r.data().path("id").asText().equals(id), 1);
            if (found.records().isEmpty()) {
                return Optional.empty();
            }
            AuditRecord decision = found.records().get(0);
            String signature = decision.data().path("signature").asText();
            JsonNode target = decision.data().path("target");
            List<AuditRecord> story = new ArrayList<>();
            // the evidence of this signature and target holding now, by key: part of an incident that opens now
            Map<String, AuditRecord> holding = new LinkedHashMap<>();
            boolean[] more = {false};
            long unreadable = journal.scan(JournalQuery.Window.ALL, null, r -> {
                boolean same = signature.equals(r.data().path("signature").asText()) && target.equals(r.data().path("target"));
                boolean opened = same && r.type().equals("diagnosis.opened");
                if (r.seq() < decision.seq()) {
                    if (same && r.type().equals("evidence.holds")) {
                        holding.put(r.data().path("key").asText(), r);
                    } else if (evidenceCleared(r, signature, target)) {
                        holding.remove(r.data().path("evidence").asText().split("\\|", 3)[1]);
                    }
                    if (opened) {
                        // a later opening of the same diagnosis: the incident starts here, with the evidence that holds
                        story.clear();
                        more[0] = false;
                        holding.values().forEach(h -> add(story, h, window, limit, more));
                        add(story, r, window, limit, more);
                        return true;
                    }
                    if (same || evidenceCleared(r, signature, target)) {
                        add(story, r, window, limit, more);
                    }
                    return true;
                }
                if (opened) {
                    return false; // the next incident on the same diagnosis
                }
                if (same || ofDecision(r, id) || evidenceCleared(r, signature, target)) {
                    add(story, r, window, limit, more);
                }
                boolean cleared = r.type().equals("diagnosis.cleared") && ofDecision(r, id);
                return !cleared && !more[0];
            });
            return Optional.of(new JournalQuery.Page(story, more[0], unreadable));
        }

        private static void add(List<AuditRecord> story, AuditRecord r, JournalQuery.Window window, int limit, boolean[] more) {
            if (!window.holds(r)) {
                return;
            }
            if (story.size() < limit) {
                story.add(r);
            } else {
                more[0] = true;
            }
        }

        /** {@code evidence.cleared} names its evidence as {@code signature|key|{labels}}. */
        private static boolean evidenceCleared(AuditRecord r, String signature, JsonNode target) {
            if (!r.type().equals("evidence.cleared")) {
                return false;
            }
            String key = r.data().path("evidence").asText();
            return key.startsWith(signature + "|") && key.endsWith("|" + labels(target));
        }

        /** The labels as {@link Target#toString} writes them (its own key order). */
        private static String labels(JsonNode target) {
            Map<String, String> labels = new LinkedHashMap<>();
            target.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            return new Target(labels).toString();
        }
    }
}
