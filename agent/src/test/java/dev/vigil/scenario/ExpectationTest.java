package dev.vigil.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.fact.Target;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpectationTest {

    @Test
    void expectDescribesSignatureTargetDecisionAndPlaybookOnOneLine() {
        assertEquals("expect db-connection-pool-exhaustion {service=checkout, host=app-1} execute recycle-connection-pool",
                new Expectation.Expect("db-connection-pool-exhaustion", Target.of("host", "app-1", "service", "checkout"),
                        Set.of("execute"), "recycle-connection-pool", 2).describe());
    }

    @Test
    void expectListsItsDecisionsInFileOrderAndLeavesOutAnyTargetAndAnyPlaybook() {
        Expectation.Expect e = new Expectation.Expect("postgres-connection-slots-exhausted", null,
                new LinkedHashSet<>(List.of("suppress", "notify")), null, 3);

        assertEquals("expect postgres-connection-slots-exhausted suppress|notify", e.describe());
        assertEquals(Target.ANY, e.target());
    }

    @Test
    void forbidDescribesItsPlaybookAndTargetWhenThereIsOne() {
        assertEquals("forbid restart-service", new Expectation.Forbid("restart-service", null, 4).describe());
        assertEquals("forbid recycle-connection-pool {host=app-2}",
                new Expectation.Forbid("recycle-connection-pool", Target.of("host", "app-2"), 5).describe());
    }

    @Test
    void noneDescribesWhatItAllows() {
        assertEquals("expect none: no decision other than notify or suppress", new Expectation.None(6).describe());
    }

    @Test
    void expectRefusesAnUnknownDecisionOrNoDecision() {
        assertEquals("decision must be one of execute, approve, notify, suppress, was \"act\"",
                assertThrows(IllegalArgumentException.class,
                        () -> new Expectation.Expect("s", Target.ANY, Set.of("act"), null, 1)).getMessage());
        assertEquals("an expectation needs at least one acceptable decision",
                assertThrows(IllegalArgumentException.class,
                        () -> new Expectation.Expect("s", Target.ANY, Set.of(), null, 1)).getMessage());
    }

    @Test
    void expectDecisionsCannotBeChangedAfterwards() {
        Expectation.Expect e = new Expectation.Expect("s", Target.ANY, new LinkedHashSet<>(List.of("execute")), null, 1);

        assertThrows(UnsupportedOperationException.class, () -> e.decisions().add("approve"));
        assertEquals(new Expectation.Expect("s", Target.ANY, Set.of("execute"), null, 1), e);
    }

    @Test
    void observationRefusesANegativeOrNonFiniteT() {
        assertThrows(IllegalArgumentException.class, () -> new Observation(-1, null));
        assertThrows(IllegalArgumentException.class, () -> new Observation(Double.NaN, null));
        assertThrows(IllegalArgumentException.class, () -> new Observation(Double.POSITIVE_INFINITY, null));
    }
}
