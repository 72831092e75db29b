package dev.vigil.playbook;

import dev.vigil.decision.Risk;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One pre-validated playbook as loaded from {@code playbooks/<id>.yaml}, with the SHA-256 of its file. Immutable.
 *
 * @param parameters    by name, in file order
 * @param verification  null exactly when {@code risk} is {@link Risk#NONE}
 * @param rollback      steps that undo the change when the verification fails; may be empty
 * @param preconditions conditions that must hold before a run (checked by the runner); may be empty
 */
public record Playbook(String id, String title, String description, Risk risk, Map<String, ParameterSpec> parameters,
                       List<Step> steps, Verification verification, List<Step> rollback, Limits limits,
                       String sourceFile, String sha256, List<Condition> preconditions) {
    public Playbook {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        description = description == null ? "" : description;
        Objects.requireNonNull(risk, "risk");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("playbook " + id + " has no steps");
        }
        if ((verification == null) != (risk == Risk.NONE)) {
            throw new IllegalArgumentException("playbook " + id + ": a verification is required exactly when risk is not none, risk was "
                    + risk.wireName());
        }
        rollback = List.copyOf(rollback);
        Objects.requireNonNull(limits, "limits");
        sourceFile = sourceFile == null ? "" : sourceFile;
        sha256 = sha256 == null ? "" : sha256;
        preconditions = List.copyOf(preconditions);
    }

    /** A playbook without preconditions (the form of the original API). */
    public Playbook(String id, String title, String description, Risk risk, Map<String, ParameterSpec> parameters,
                    List<Step> steps, Verification verification, List<Step> rollback, Limits limits,
                    String sourceFile, String sha256) {
        this(id, title, description, risk, parameters, steps, verification, rollback, limits, sourceFile, sha256,
                List.of());
    }
}
