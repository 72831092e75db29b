package dev.vigil.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.approval.ApprovalRequest;
import dev.vigil.approval.Approvals;
import dev.vigil.decision.Decision;
import dev.vigil.decision.DecisionKind;
import dev.vigil.fact.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The pending approval requests in {@code DATA_DIR/approvals-pending.json}, with the decisions they would run, so a
 * restart (or a crash) loses none: rewritten whole after every change (a temporary file, fsynced, then renamed over
 * the old one, so a crash leaves the old or the new file, never half of one), read once at start. Thread-safe as
 * {@link Approvals} calls it under its lock.
 */
final class PendingApprovals implements Approvals.Store {
    static final String FILE = "approvals-pending.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a previous run left: the requests and, by decision id, the decisions they would run. */
    record Saved(List<ApprovalRequest> requests, Map<String, Decision> decisions) {
    }

    private final Path file;
    private final Function<String, Decision> decisionOf;

    /** @param decisionOf the decision a pending request would run, by decision id (null when not held) */
    PendingApprovals(Path dataDir, Function<String, Decision> decisionOf) {
        this.file = dataDir.resolve(FILE);
        this.decisionOf = decisionOf;
    }

    Path file() {
        return file;
    }

    @Override
    public void save(List<ApprovalRequest> pending) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", 1);
        doc.put("requests", pending.stream().map(ApprovalRequest::asMap).toList());
        Map<String, Object> decisions = new LinkedHashMap<>();
        for (ApprovalRequest r : pending) {
            Decision d = decisionOf.apply(r.decisionId());
            if (d != null) {
                decisions.put(d.id(), decision(d));
            }
        }
        doc.put("decisions", decisions);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * What the previous run left; nothing when there is no file.
     *
     * @throws IOException naming the file and the field when it cannot be read or makes no sense
     */
    Saved load() throws IOException {
        JsonNode doc;
        try {
            doc = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return new Saved(List.of(), Map.of());
        } catch (IOException e) {
            throw new IOException(file + ": not JSON: " + e.getMessage(), e);
        }
        if (doc == null || doc.path("version").asInt() != 1) {
            throw new IOException(file + ": version: expected 1");
        }
        List<ApprovalRequest> requests = new ArrayList<>();
        Map<String, Decision> decisions = new LinkedHashMap<>();
        JsonNode list = doc.path("requests");
        try {
            for (int i = 0; i < list.size(); i++) {
                requests.add(ApprovalRequest.fromJson(list.get(i)));
            }
            for (var it = doc.path("decisions").fields(); it.hasNext(); ) {
                var e = it.next();
                decisions.put(e.getKey(), decision(e.getValue()));
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return new Saved(requests, decisions);
    }

    /** Moves an unreadable file aside (kept for a human to look at) so the next save does not overwrite it. */
    Path quarantine(long nowMillis) throws IOException {
        Path aside = file.resolveSibling(FILE + ".unreadable-" + nowMillis);
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        return aside;
    }

    private static Map<String, Object> decision(Decision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("time_millis", d.timeMillis());
        m.put("signature", d.signature());
        m.put("target", d.target().labels());
        m.put("confidence", d.confidence());
        m.put("kind", d.kind().wireName());
        m.put("playbook", d.playbook());
        m.put("reasons", d.reasons());
        m.put("approvals_required", d.approvalsRequired());
        m.put("evidence", d.evidence());
        m.put("bindings", d.bindings());
        return m;
    }

    private static Decision decision(JsonNode n) {
        DecisionKind kind = null;
        for (DecisionKind k : DecisionKind.values()) {
            if (k.wireName().equals(n.path("kind").asText())) {
                kind = k;
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("decisions." + n.path("id").asText() + ".kind: unknown " + n.path("kind"));
        }
        List<String> reasons = new ArrayList<>();
        n.path("reasons").forEach(r -> reasons.add(r.asText()));
        return new Decision(n.path("id").asText(), n.path("time_millis").asLong(), n.path("signature").asText(),
                new Target(strings(n.path("target"))), n.path("confidence").asDouble(), kind,
                n.path("playbook").isTextual() ? n.path("playbook").asText() : null, reasons,
                n.path("approvals_required").asInt(), strings(n.path("evidence")), strings(n.path("bindings")));
    }

    private static Map<String, String> strings(JsonNode o) {
        Map<String, String> out = new LinkedHashMap<>();
        o.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
