package dev.vigil.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.audit.AuditRecord;
import dev.vigil.audit.JournalQuery;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hit counts and outcome history over the whole journal, kept up to date by reading only what was appended since the
 * last request ({@link JournalQuery#follow}), so they count every record since the journal began, across restarts.
 * Memory is one small tally per signature, evidence key and playbook id seen, at most {@value #MAX_KEYS} of each (more
 * are counted under {@code (other)}), plus the last {@value #HISTORY} outcomes per playbook. Thread-safe (one
 * refresh at a time).
 */
final class CatalogTally {
    static final int MAX_KEYS = 10_000;
    static final int HISTORY = 20;
    private static final String OTHER = "(other)";

    /** What one signature was diagnosed and decided. */
    static final class Signature {
        long diagnoses;
        final Map<String, Long> decisions = new TreeMap<>();
    }

    /** What one playbook did: plans in dry-run, runs, their outcomes and the latest of them. */
    static final class Playbook {
        long planned;
        long runs;
        final Map<String, Long> outcomes = new TreeMap<>();
        final Deque<Map<String, Object>> history = new ArrayDeque<>();
    }

    private final JournalQuery journal;
    private JournalQuery.Cursor cursor = JournalQuery.Cursor.START;
    private String firstTime;
    private final Map<String, Signature> signatures = new HashMap<>();
    private final Map<String, Long> evidence = new HashMap<>();
    private final Map<String, Playbook> playbooks = new HashMap<>();

    CatalogTally(JournalQuery journal) {
        this.journal = journal;
    }

    /** Reads what was appended since the last call; the tallies then cover the journal up to now. */
    synchronized void refresh() throws IOException {
        cursor = journal.follow(cursor, this::count);
    }

    private void count(AuditRecord r) {
        if (firstTime == null) {
            firstTime = r.time();
        }
        JsonNode d = r.data();
        switch (r.type()) {
            case "diagnosis.opened" -> signature(d.path("signature").asText()).diagnoses++;
            case "decision" -> signature(d.path("signature").asText()).decisions.merge(d.path("decision").asText(), 1L, Long::sum);
            case "evidence.holds" -> evidence.merge(bounded(evidence, d.path("signature").asText() + "|" + d.path("key").asText()),
                    1L, Long::sum);
            case "playbook.dry-run" -> playbook(d.path("playbook").asText()).planned++;
            case "playbook.intent" -> playbook(d.path("playbook").asText()).runs++;
            case "playbook.outcome" -> {
                Playbook p = playbook(d.path("playbook").asText());
                String outcome = d.path("outcome").asText();
                p.outcomes.merge(outcome, 1L, Long::sum);
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("time", r.time());
                h.put("seq", r.seq());
                h.put("run", d.path("run").asText());
                h.put("decision", d.path("decision").asText());
                h.put("signature", d.path("signature").asText());
                h.put("outcome", outcome);
                h.put("reason", d.path("reason").asText());
                if (p.history.size() == HISTORY) {
                    p.history.removeFirst();
                }
                p.history.addLast(h);
            }
            default -> {
            }
        }
    }

    private Signature signature(String id) {
        return signatures.computeIfAbsent(bounded(signatures, id), k -> new Signature());
    }

    private Playbook playbook(String id) {
        return playbooks.computeIfAbsent(bounded(playbooks, id), k -> new Playbook());
    }

    private static String bounded(Map<String, ?> map, String key) {
        return map.containsKey(key) || map.size() < MAX_KEYS ? key : OTHER;
    }

    /** When the first record counted was written; null for an empty journal. */
    synchronized String since() {
        return firstTime;
    }

    /** How many records were counted (the seq of the last one). */
    synchronized long through() {
        return cursor.lastSeq();
    }

    /** Diagnoses opened, and decisions by kind. */
    synchronized Map<String, Object> hitsOfSignature(String id) {
        Signature s = signatures.get(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("diagnoses", s == null ? 0 : s.diagnoses);
        out.put("decisions", s == null ? Map.of() : new TreeMap<>(s.decisions));
        return out;
    }

    /** How many times the evidence started to hold (a rule observing it fired and its evidence was new). */
    synchronized long evidenceHeld(String signature, String key) {
        return evidence.getOrDefault(signature + "|" + key, 0L);
    }

    /** Plans, runs, outcomes and the latest outcomes, newest first. */
    synchronized Map<String, Object> hitsOfPlaybook(String id) {
        Playbook p = playbooks.get(id);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("planned", p == null ? 0 : p.planned);
        out.put("runs", p == null ? 0 : p.runs);
        out.put("outcomes", p == null ? Map.of() : new TreeMap<>(p.outcomes));
        List<Map<String, Object>> history = new java.util.ArrayList<>();
        if (p != null) {
            p.history.descendingIterator().forEachRemaining(history::add);
        }
        out.put("history", history);
        return out;
    }
}
