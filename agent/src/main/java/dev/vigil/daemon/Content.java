package dev.vigil.daemon;

import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import dev.vigil.content.ContentSource;
import dev.vigil.engine.CompiledRule;
import dev.vigil.engine.RuleBase;
import dev.vigil.playbook.PlaybookCatalog;
import dev.vigil.signature.EvidenceSpec;
import dev.vigil.signature.RuleLinter;
import dev.vigil.signature.RuleRef;
import dev.vigil.signature.Signature;
import dev.vigil.signature.SignatureCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Everything governors author, loaded and cross-checked together: the compiled rules, the signatures (live, and in
 * shadow from {@code signatures/shadow/}) and the playbooks. Immutable; a reload builds a new one and the old keeps
 * running until the new one is complete.
 *
 * @param shadow signatures evaluated on live facts whose decisions are only recorded (kind {@code shadow}), never
 *               executed nor sent for approval; an id may also be live, the shadow being its candidate new version
 */
public record Content(ContentSource source, RuleBase rules, SignatureCatalog signatures, PlaybookCatalog playbooks,
                      SignatureCatalog shadow) {
    static final String GENERATED_DIAGNOSES = "(generated)/diagnoses.drl";

    /**
     * Loads and lints all content. Every error of every file is collected (schema, DRL compile, cross-reference)
     * before anything is thrown, so a governor sees the whole list at once.
     */
    public static Content load(ContentSource source) throws ContentException {
        return load(source, PlaybookCatalog.Pins.REQUIRED);
    }

    /**
     * Loads and lints all content; with {@link PlaybookCatalog.Pins#REPORTED} a playbook or script that does not match
     * {@code playbooks.lock} is loaded and listed in {@code playbooks().pinProblems()} (replay, where nothing runs).
     */
    public static Content load(ContentSource source, PlaybookCatalog.Pins pins) throws ContentException {
        return load(source, pins, null);
    }

    /**
     * Loads the content again for a reload: the DRL packages whose files did not change since {@code running} are
     * taken from its rule base instead of being compiled again (see {@link RuleBase#compile(List, RuleBase)}).
     */
    public static Content reload(ContentSource source, Content running) throws ContentException {
        return load(source, PlaybookCatalog.Pins.REQUIRED, running.rules());
    }

    private static Content load(ContentSource source, PlaybookCatalog.Pins pins, RuleBase previous) throws ContentException {
        List<ContentError> errors = new ArrayList<>();
        SignatureCatalog signatures = null;
        SignatureCatalog shadow = null;
        PlaybookCatalog playbooks = null;
        RuleBase rules = null;
        try {
            signatures = SignatureCatalog.load(source);
        } catch (ContentException e) {
            errors.addAll(e.errors());
        }
        try {
            shadow = SignatureCatalog.loadShadow(source);
        } catch (ContentException e) {
            errors.addAll(e.errors());
        }
        try {
            playbooks = PlaybookCatalog.load(source, pins);
        } catch (ContentException e) {
            errors.addAll(e.errors());
        }
        try {
            List<ContentFile> drl = new ArrayList<>(source.files("rules", ".drl"));
            if (signatures != null) {
                drl.add(diagnosisRules(signatures));
            }
            rules = RuleBase.compile(drl, previous);
        } catch (ContentException e) {
            errors.addAll(e.errors());
        }
        if (signatures != null && shadow != null && playbooks != null && rules != null) {
            errors.addAll(RuleLinter.lint(List.of(signatures, shadow), ruleRefs(rules), playbooks.ids()));
        }
        if (!errors.isEmpty()) {
            throw new ContentException(errors);
        }
        return new Content(source, rules, signatures, playbooks, shadow);
    }

    /**
     * SHA-256 of every file this content was built from (rules, signatures live and in shadow, playbooks), by path:
     * what a reload compares and journals.
     */
    public Map<String, String> fileHashes() {
        Map<String, String> hashes = new TreeMap<>();
        rules.fileHashes().forEach((path, sha) -> {
            if (!path.startsWith("(")) { // generated from the signatures, whose own hashes are listed
                hashes.put(path, sha);
            }
        });
        signatures.all().forEach(s -> hashes.put(s.file(), s.sha256()));
        shadow.all().forEach(s -> hashes.put(s.file(), s.sha256()));
        playbooks.all().forEach(p -> hashes.put(p.sourceFile(), p.sha256()));
        return hashes;
    }

    /**
     * One rule per signature that turns its evidence into a {@link dev.vigil.fact.Diagnosis}, generated from the
     * signature's {@code requires}, so a diagnosis other rules reason about ("while dependency-outage holds") exists
     * exactly when the decision stage would decide on it: context evidence alone makes none. Only live signatures get
     * one: a signature in shadow must not change what the live rules see.
     */
    static ContentFile diagnosisRules(SignatureCatalog signatures) {
        StringBuilder drl = new StringBuilder("package vigil.generated.diagnoses;\n\nimport dev.vigil.fact.*;\n");
        for (Signature sig : signatures.all()) {
            String keys = sig.requires().stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(", "));
            drl.append("\nrule \"").append(sig.id()).append(" is diagnosed\"\n    @generic(true)\nwhen\n")
                    .append("    Evidence( signature == \"").append(sig.id()).append("\"")
                    .append(keys.isEmpty() ? "" : ", key in ( " + keys + " )").append(", $target : target )\n")
                    .append("then\n    insertLogical( new Diagnosis( \"").append(sig.id()).append("\", $target ) );\nend\n");
            for (EvidenceSpec e : sig.evidence().values()) {
                if (e.anomaly()) {
                    drl.append(anomalyRule(sig.id(), e));
                }
            }
        }
        return new ContentFile(GENERATED_DIAGNOSES, drl.toString());
    }

    /**
     * The rule of a generic anomaly evidence: while a diagnosis of the signature holds (made by its required evidence),
     * the most anomalous forecast of the named metrics that belongs to its target, if at or above the configured
     * threshold, supports it, with the score as the evidence's strength.
     */
    private static String anomalyRule(String signature, EvidenceSpec e) {
        String names = e.anomalyOf().stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
        return "\nrule \"" + signature + " anomaly evidence " + e.key() + "\"\n    @generic(true)\nwhen\n"
                + "    Diagnosis( signature == \"" + signature + "\", $target : target )\n"
                + "    $anomalous : java.util.List( size > 0 ) from collect( Forecast( name in ( " + names
                + " ), anomalous, belongsTo( $target ) ) )\n"
                + "then\n    Forecast f = Forecast.mostAnomalous( $anomalous );\n"
                + "    insertLogical( new Evidence( \"" + signature + "\", \"" + e.key() + "\", $target, f.anomalyScore(), "
                + "f.describeAnomaly(), java.util.Map.of(), f.time() ) );\nend\n";
    }

    static List<RuleRef> ruleRefs(RuleBase rules) {
        List<RuleRef> refs = new ArrayList<>();
        for (CompiledRule r : rules.rules()) {
            if (r.file().startsWith("(")) { // built-in declarations and generated rules serve every signature
                continue;
            }
            refs.add(new RuleRef(r.name(), r.file(), r.line(), r.meta("signature"), r.meta("evidence"),
                    r.meta("contraindication"), "true".equals(r.meta("generic"))));
        }
        return refs;
    }

    /** One line for people: what was loaded from where. */
    public String summary() {
        return String.format("%d rules, %d signatures%s, %d playbooks from %s (rule base built in %d ms)",
                rules.rules().size(), signatures.size(), shadow.size() == 0 ? "" : " (+" + shadow.size() + " in shadow)",
                playbooks.all().size(), source.description(), rules.buildMillis());
    }
}
