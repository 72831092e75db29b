package dev.vigil.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vigil.signature.Effect;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GateTest {
    private final Gate gate = new Gate(new GovernancePolicy(0.90, 0.60, Set.of("auto-medium"), 120, 2, 120));

    @ParameterizedTest(name = "{1} risk at {0} -> {2} ({3} approvers)")
    @CsvSource({
        "0.95, LOW,    EXECUTE, 0",
        "0.75, LOW,    APPROVE, 1",
        "0.40, LOW,    NOTIFY,  0",
        "0.95, MEDIUM, APPROVE, 1",
        "0.75, MEDIUM, APPROVE, 1",
        "0.40, MEDIUM, NOTIFY,  0",
        "0.95, HIGH,   APPROVE, 2",
        "0.75, HIGH,   APPROVE, 2",
        "0.40, HIGH,   NOTIFY,  0",
        "0.99, NONE,   NOTIFY,  0",
        "0.90, LOW,    EXECUTE, 0",
        "0.60, LOW,    APPROVE, 1",
    })
    void theGovernanceTableMapsBandAndRisk(double confidence, Risk risk, DecisionKind kind, int approvals) {
        Gate.Verdict v = gate.decide(confidence, "some-playbook", risk, List.of());
        assertEquals(kind, v.kind());
        assertEquals(approvals, v.approvalsRequired());
    }

    @Test
    void aMediumRiskPlaybookListedAsAutoExecutesWhenStrong() {
        assertEquals(DecisionKind.EXECUTE, gate.decide(0.95, "auto-medium", Risk.MEDIUM, List.of()).kind());
        assertEquals(DecisionKind.APPROVE, gate.decide(0.75, "auto-medium", Risk.MEDIUM, List.of()).kind());
    }

    @Test
    void aSuppressingContraindicationAlwaysWinsWithItsReason() {
        Gate.Verdict v = gate.decide(0.99, "p", Risk.LOW, List.of(new Gate.Held(Effect.SUPPRESS, "database orders-db is down")));
        assertEquals(DecisionKind.SUPPRESS, v.kind());
        assertEquals("contraindicated: database orders-db is down", v.reason());
    }

    @Test
    void requireApprovalCapsAnExecuteAtApprove() {
        Gate.Verdict v = gate.decide(0.99, "p", Risk.LOW, List.of(new Gate.Held(Effect.REQUIRE_APPROVAL, "only one healthy instance")));
        assertEquals(DecisionKind.APPROVE, v.kind());
        assertEquals(1, v.approvalsRequired());
    }

    @Test
    void policyBandsMustBeOrdered() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new GovernancePolicy(0.5, 0.6, Set.of(), 0, 2, 0));
    }
}
