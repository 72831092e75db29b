package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import dev.vigil.fact.ProtectedPath;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyFileTest {
    @Test
    void anEmptyMappingKeepsEveryDefault() throws ContentException {
        PolicyFile.Policy p = PolicyFile.parse(new ContentFile("policy.yaml", "{}\n"));
        assertEquals(PolicyFile.defaults(), p);
    }

    @Test
    void everySettingIsRead() throws ContentException {
        PolicyFile.Policy p = PolicyFile.parse(new ContentFile("policy.yaml", """
                bands: {strong: 0.95, medium: 0.7}
                auto_execute: [restart-service]
                settle: 3m
                high_risk_approvals: 3
                protected_paths: [/srv/data]
                """));
        assertEquals(0.95, p.governance().strong());
        assertEquals(0.7, p.governance().medium());
        assertEquals(Set.of("restart-service"), p.governance().autoExecute());
        assertEquals(180, p.governance().settleSeconds());
        assertEquals(3, p.governance().highRiskApprovals());
        assertEquals(List.of(new ProtectedPath("/srv/data", "protected path in the policy")), p.protectedPaths());
    }

    @Test
    void everyErrorIsListedWithItsLineAndField() {
        ContentException e = assertThrows(ContentException.class, () -> PolicyFile.parse(new ContentFile("policy.yaml", """
                bands: {strong: 0.5, medium: 0.7, huge: 0.99}
                settle: soon
                high_risk_approvals: 0
                protected_paths: [relative/path, /ok]
                autoexecute: [x]
                """)));
        assertEquals(List.of(
                "policy.yaml:1: bands.huge: unknown band; known: medium, strong",
                "policy.yaml:1: bands: medium (0.7) must be below strong (0.5)",
                "policy.yaml:2: settle: must be a duration like 90s, 2m or 1h, was \"soon\"",
                "policy.yaml:3: high_risk_approvals: must be a whole number from 1 to 10, was 0",
                "policy.yaml:4: protected_paths[0]: must be an absolute path without '..', was \"relative/path\"",
                "policy.yaml:5: autoexecute: unknown setting; known: [auto_execute, bands, clear_after, high_risk_approvals, protected_paths, settle]"),
                e.errors().stream().map(ContentError::toString).toList());
    }
}
