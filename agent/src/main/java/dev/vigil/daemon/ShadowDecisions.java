package dev.vigil.daemon;

import dev.vigil.audit.AuditSink;
import dev.vigil.decision.Decision;
import dev.vigil.decision.DecisionStage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Journals what the signatures in shadow decided: a {@code decision} record of kind {@code shadow} carrying what the
 * signature would have decided ({@code would}). A shadow decision never reaches a playbook nor an approval channel.
 * Stateless.
 */
final class ShadowDecisions {
    static final String KIND = "shadow";

    private ShadowDecisions() {
    }

    static List<Decision> record(DecisionStage.Step step, AuditSink audit) {
        for (Decision d : step.decisions()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("id", d.id());
            data.put("signature", d.signature());
            data.put("target", d.target().labels());
            data.put("confidence", d.confidence());
            data.put("decision", KIND);
            data.put("would", d.kind().wireName());
            data.put("playbook", d.playbook());
            data.put("reasons", d.reasons());
            data.put("evidence", d.evidence());
            audit.append("decision", data);
        }
        return step.decisions();
    }
}
