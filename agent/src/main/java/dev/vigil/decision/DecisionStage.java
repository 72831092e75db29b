package dev.vigil.decision;

import dev.vigil.confidence.ConfidenceModel;
import dev.vigil.confidence.EvidenceInput;
import dev.vigil.confidence.Reason;
import dev.vigil.confidence.Score;
import dev.vigil.confidence.ScoreInput;
import dev.vigil.confidence.Source;
import dev.vigil.confidence.TrackRecord;
import dev.vigil.fact.Contraindication;
import dev.vigil.fact.Evidence;
import dev.vigil.fact.Target;
import dev.vigil.signature.ContraindicationSpec;
import dev.vigil.signature.EvidenceSpec;
import dev.vigil.signature.Signature;
import dev.vigil.signature.SignatureCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Turns what the rules concluded into decisions: groups evidence per signature and target, scores each diagnosis,
 * gates it per playbook and decides once per open diagnosis. Not thread-safe: runs on the engine thread.
 *
 * <p>When a diagnosis is decided: at once when the gate says execute (acting early matters when it is safe);
 * otherwise once it has gathered evidence for the signature's settle time, so a medium score does not freeze into an
 * approve moments before the evidence that makes it strong arrives. While a diagnosis stays open it is not decided
 * again; it closes when none of its evidence holds any more.
 */
public final class DecisionStage {
    /** The risk of a playbook, from the playbook catalog (bound in the wiring). */
    public interface PlaybookRisks {
        Optional<Risk> risk(String playbook);
    }

    /** Whether a telemetry source sends anything for a target (bound in the wiring to the condense stage). */
    public interface SourceActivity {
        boolean reporting(Target target, Source source);
    }

    /** The track record of a playbook for a signature (verified and failed runs). */
    public interface TrackRecords {
        TrackRecord of(String signature, String playbook);
    }

    /** A diagnosis seen for the first time. */
    public record Opened(String signature, Target target, long timeMillis) {
    }

    /** A diagnosis whose evidence no longer holds. */
    public record Cleared(String signature, Target target, long timeMillis, String decisionId) {
    }

    /** What one step produced, in order. */
    public record Step(List<Opened> opened, List<Decision> decisions, List<Cleared> cleared) {
    }

    private record Key(String signature, Target target) {
    }

    private static final class Open {
        final long firstSeen;
        String decisionId;
        long absentSince = -1;

        Open(long firstSeen) {
            this.firstSeen = firstSeen;
        }
    }

    private SignatureCatalog signatures;
    private final ConfidenceModel model;
    private final Gate gate;
    private final PlaybookRisks risks;
    private final SourceActivity sources;
    private final TrackRecords trackRecords;
    private final Supplier<String> ids;
    private final Map<Key, Open> open = new LinkedHashMap<>();

    public DecisionStage(SignatureCatalog signatures, ConfidenceModel model, Gate gate, PlaybookRisks risks,
                         SourceActivity sources, TrackRecords trackRecords, Supplier<String> ids) {
        this.signatures = signatures;
        this.model = model;
        this.gate = gate;
        this.risks = risks;
        this.sources = sources;
        this.trackRecords = trackRecords;
        this.ids = ids;
    }

    public Step step(long now, List<Evidence> evidence, List<Contraindication> contraindications) {
        Map<Key, List<Evidence>> diagnoses = new LinkedHashMap<>();
        for (Evidence e : evidence) {
            if (signatures.get(e.signature()).isPresent()) {
                diagnoses.computeIfAbsent(new Key(e.signature(), e.target()), k -> new ArrayList<>()).add(e);
            }
        }
        // context alone (a deploy without errors, a low but stable disk) does not make a diagnosis
        diagnoses.entrySet().removeIf(d -> !signatures.get(d.getKey().signature()).orElseThrow()
                .diagnosedBy(d.getValue().stream().map(Evidence::key).toList()));
        List<Opened> opened = new ArrayList<>();
        List<Decision> decided = new ArrayList<>();
        List<Cleared> cleared = new ArrayList<>();
        long clearAfter = gate.policy().clearAfterSeconds() * 1000L;
        for (Iterator<Map.Entry<Key, Open>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Open> o = it.next();
            Open state = o.getValue();
            if (diagnoses.containsKey(o.getKey())) {
                state.absentSince = -1;
            } else {
                if (state.absentSince < 0) {
                    state.absentSince = now;
                }
                if (now - state.absentSince >= clearAfter) {
                    cleared.add(new Cleared(o.getKey().signature(), o.getKey().target(), now, state.decisionId));
                    it.remove();
                }
            }
        }
        Map<Target, List<String>> signaturesByTarget = new HashMap<>();
        diagnoses.keySet().forEach(k -> signaturesByTarget.computeIfAbsent(k.target(), t -> new ArrayList<>()).add(k.signature()));

        for (Map.Entry<Key, List<Evidence>> d : diagnoses.entrySet()) {
            Key key = d.getKey();
            Open state = open.get(key);
            if (state == null) {
                state = new Open(now);
                open.put(key, state);
                opened.add(new Opened(key.signature(), key.target(), now));
            }
            if (state.decisionId != null) {
                continue;
            }
            Signature sig = signatures.get(key.signature()).orElseThrow();
            List<String> conflicts = signaturesByTarget.get(key.target()).stream()
                    .filter(s -> !s.equals(key.signature())).sorted().toList();
            Decision candidate = decide(now, sig, key.target(), d.getValue(), contraindications, conflicts);
            long settle = sig.settleSeconds() > 0 ? sig.settleSeconds() : gate.policy().settleSeconds();
            if (candidate.kind() == DecisionKind.EXECUTE || now - state.firstSeen >= settle * 1000L) {
                state.decisionId = candidate.id();
                decided.add(candidate);
            }
        }
        return new Step(opened, decided, cleared);
    }

    /** Scores one diagnosis and gates each of its playbooks; the first playbook not suppressed wins. */
    Decision decide(long now, Signature sig, Target target, List<Evidence> evidence,
                    List<Contraindication> contraindications, List<String> conflicts) {
        Map<String, Evidence> strongestByKey = new TreeMap<>();
        for (Evidence e : evidence) {
            strongestByKey.merge(e.key(), e, (a, b) -> b.strength() > a.strength() ? b : a);
        }
        List<EvidenceInput> inputs = new ArrayList<>();
        Map<String, String> details = new LinkedHashMap<>();
        Map<String, String> bindings = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        for (EvidenceSpec spec : sig.evidence().values()) {
            Evidence e = strongestByKey.get(spec.key());
            Source source = Source.parse(spec.source());
            if (e == null) {
                if (source != null && !sources.reporting(target, source)) {
                    missing.add(spec.key());
                }
                continue;
            }
            double age = Math.max(0, (now - e.observedAt()) / 1000.0);
            inputs.add(new EvidenceInput(spec.key(), spec.weight(), e.strength(), source, spec.exact(), age, e.detail()));
            details.put(spec.key(), e.detail());
            bindings.putAll(e.bindings());
        }
        String firstPlaybook = sig.playbooks().get(0);
        TrackRecord record = trackRecords.of(sig.id(), firstPlaybook);
        Score score = model.score(new ScoreInput(sig.id(), sig.prior(), inputs, missing, conflicts, record));

        List<String> reasons = new ArrayList<>();
        for (Reason r : score.reasons()) {
            if (!r.term().equals("prior")) {
                reasons.add(r.text());
            }
        }
        Gate.Verdict chosen = null;
        String chosenPlaybook = null;
        List<String> heldReasons = new ArrayList<>();
        List<String> heldBack = new ArrayList<>();
        for (String playbook : sig.playbooks()) {
            List<Gate.Held> held = new ArrayList<>();
            for (Contraindication c : contraindications) {
                if (!c.appliesTo(sig.id(), target)) {
                    continue;
                }
                ContraindicationSpec spec = sig.contraindications().get(c.id());
                if (spec != null && spec.appliesTo(playbook)) {
                    held.add(new Gate.Held(spec.effect(), c.reason()));
                }
            }
            Risk risk = risks.risk(playbook).orElse(Risk.HIGH);
            Gate.Verdict v = gate.decide(score.probability(), playbook, risk, held);
            if (chosen != null && chosen.kind() == DecisionKind.SUPPRESS && v.kind() != DecisionKind.SUPPRESS) {
                heldBack.add(chosenPlaybook + " held back: " + chosen.reason());
            }
            if (chosen == null || (chosen.kind() == DecisionKind.SUPPRESS && v.kind() != DecisionKind.SUPPRESS)) {
                chosen = v;
                chosenPlaybook = playbook;
                heldReasons = held.stream().map(Gate.Held::reason).toList();
            }
            if (v.kind() != DecisionKind.SUPPRESS) {
                break;
            }
        }
        reasons.addAll(heldBack);
        for (String h : heldReasons) {
            if (!chosen.reason().contains(h)) {
                reasons.add(h);
            }
        }
        reasons.add(chosen.reason());
        double confidence = Math.round(score.probability() * 100) / 100.0;
        return new Decision(ids.get(), now, sig.id(), target, confidence, chosen.kind(), chosenPlaybook, reasons,
                chosen.approvalsRequired(), details, bindings);
    }

    /**
     * Replaces the signatures after a content reload. An open diagnosis whose signature is still loaded stays open
     * as it is (decided or still settling; a settling one is decided by the new definition). One whose signature is
     * gone is closed now and returned, so the caller can journal why: no rule will feed it and nothing can score it.
     */
    public List<Cleared> signatures(SignatureCatalog next, long now) {
        List<Cleared> closed = new ArrayList<>();
        for (Iterator<Map.Entry<Key, Open>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Open> o = it.next();
            if (next.get(o.getKey().signature()).isEmpty()) {
                closed.add(new Cleared(o.getKey().signature(), o.getKey().target(), now, o.getValue().decisionId));
                it.remove();
            }
        }
        this.signatures = next;
        return closed;
    }

    /** How many diagnoses are open now. */
    public int openCount() {
        return open.size();
    }
}
