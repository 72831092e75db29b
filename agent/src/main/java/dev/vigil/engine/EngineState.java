package dev.vigil.engine;

import dev.vigil.fact.Contraindication;
import dev.vigil.fact.Diagnosis;
import dev.vigil.fact.Evidence;
import java.util.List;

/** What the rules concluded after one engine step: the evidence, contraindications and diagnoses that hold. Immutable. */
public record EngineState(long timeMillis, List<Evidence> evidence, List<Contraindication> contraindications,
                          List<Diagnosis> diagnoses) {
    public EngineState {
        evidence = List.copyOf(evidence);
        contraindications = List.copyOf(contraindications);
        diagnoses = List.copyOf(diagnoses);
    }
}
