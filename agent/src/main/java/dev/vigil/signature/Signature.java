package dev.vigil.signature;

import java.util.List;
import java.util.Map;

/**
 * A known failure: what it means, the evidence that shows it (with weights), the playbooks that fix it and the
 * contraindications under which acting is wrong. Loaded from {@code signatures/ID.yaml}. Immutable.
 *
 * @param target        the labels that identify a diagnosis of it (e.g. service and host)
 * @param requires      evidence keys of which at least one must hold for a diagnosis to exist; context alone (a deploy
 *                      with no errors, a low but stable disk) is not a failure
 * @param playbookLines the line of each entry of {@code playbooks}, for errors
 * @param settleSeconds how long a diagnosis may gather evidence before anything but an execute is decided; 0 = policy default
 */
public record Signature(String id, String title, String severity, String description, boolean predictive,
                        double prior, List<String> target, List<String> requires, long settleSeconds, Map<String, EvidenceSpec> evidence,
                        List<String> playbooks, Map<String, ContraindicationSpec> contraindications,
                        List<String> references, String file, String sha256, List<Integer> playbookLines) {
    public Signature {
        target = List.copyOf(target);
        requires = List.copyOf(requires);
        evidence = Map.copyOf(evidence);
        playbooks = List.copyOf(playbooks);
        contraindications = Map.copyOf(contraindications);
        references = List.copyOf(references);
        playbookLines = List.copyOf(playbookLines);
    }

    /** True when the evidence keys present make a diagnosis of this signature. */
    public boolean diagnosedBy(java.util.Collection<String> presentKeys) {
        return requires.isEmpty() ? !presentKeys.isEmpty() : requires.stream().anyMatch(presentKeys::contains);
    }
}
