package dev.vigil.signature;

import dev.vigil.content.ContentError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks every cross-reference of the content: each rule names a known signature and one of its evidence keys or
 * contraindications; each evidence key and contraindication of each signature has at least one rule; each playbook a
 * signature names exists. Stateless.
 */
public final class RuleLinter {
    private RuleLinter() {
    }

    /** Every problem found, sorted by file and line; empty when the content is consistent. */
    public static List<ContentError> lint(SignatureCatalog signatures, List<RuleRef> rules, Set<String> playbookIds) {
        return lint(List.of(signatures), rules, playbookIds);
    }

    /**
     * The same over several catalogs loaded side by side (the live signatures and those in shadow, where one id may
     * have a live and a shadow version): a rule may serve any version of its signature, and every version needs a
     * rule for each of its evidence keys and contraindications.
     */
    public static List<ContentError> lint(List<SignatureCatalog> catalogs, List<RuleRef> rules, Set<String> playbookIds) {
        List<ContentError> errors = new ArrayList<>();
        Set<String> covered = new HashSet<>();
        for (RuleRef r : rules) {
            String where = "rule \"" + r.name() + "\"";
            if (r.generic()) {
                continue;
            }
            if (r.signature() == null || r.signature().isEmpty()) {
                errors.add(new ContentError(r.file(), r.line(), where,
                        "@signature is missing: every rule names its signature and evidence key (or is marked @generic)"));
                continue;
            }
            List<Signature> versions = catalogs.stream().flatMap(c -> c.get(r.signature()).stream()).toList();
            if (versions.isEmpty()) {
                errors.add(new ContentError(r.file(), r.line(), where, "@signature names unknown signature " + r.signature()));
                continue;
            }
            boolean hasEvidence = r.evidence() != null && !r.evidence().isEmpty();
            boolean hasContra = r.contraindication() != null && !r.contraindication().isEmpty();
            if (hasEvidence == hasContra) {
                errors.add(new ContentError(r.file(), r.line(), where,
                        "needs exactly one of @evidence or @contraindication"));
                continue;
            }
            if (hasEvidence) {
                if (versions.stream().noneMatch(v -> v.evidence().containsKey(r.evidence()))) {
                    errors.add(new ContentError(r.file(), r.line(), where, "@evidence names " + r.evidence()
                            + ", which is not an evidence key of " + r.signature() + " " + versions.get(0).evidence().keySet()));
                } else {
                    covered.add(r.signature() + "/evidence/" + r.evidence());
                }
            } else if (versions.stream().noneMatch(v -> v.contraindications().containsKey(r.contraindication()))) {
                errors.add(new ContentError(r.file(), r.line(), where, "@contraindication names " + r.contraindication()
                        + ", which is not a contraindication of " + r.signature() + " " + versions.get(0).contraindications().keySet()));
            } else {
                covered.add(r.signature() + "/contraindication/" + r.contraindication());
            }
        }
        for (Signature s : catalogs.stream().flatMap(c -> c.all().stream()).toList()) {
            for (EvidenceSpec e : s.evidence().values()) {
                if (!e.anomaly() && !covered.contains(s.id() + "/evidence/" + e.key())) { // anomaly rules are generated
                    errors.add(new ContentError(s.file(), e.line(), "evidence." + e.key(), "no rule observes this evidence key"));
                }
            }
            for (ContraindicationSpec c : s.contraindications().values()) {
                if (!covered.contains(s.id() + "/contraindication/" + c.id())) {
                    errors.add(new ContentError(s.file(), c.line(), "contraindications." + c.id(), "no rule observes this contraindication"));
                }
            }
            for (int i = 0; i < s.playbooks().size(); i++) {
                if (!playbookIds.contains(s.playbooks().get(i))) {
                    errors.add(new ContentError(s.file(), s.playbookLines().get(i), "playbooks[" + i + "]", "unknown playbook " + s.playbooks().get(i)));
                }
            }
        }
        errors.sort(Comparator.comparing(ContentError::file).thenComparingInt(ContentError::line));
        return errors;
    }
}
