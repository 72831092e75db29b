package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import dev.vigil.content.ContentSource;
import dev.vigil.engine.Engine;
import dev.vigil.engine.RuleBase;
import dev.vigil.fact.Diagnosis;
import dev.vigil.fact.Evidence;
import dev.vigil.fact.Target;
import dev.vigil.signature.SignatureCatalog;
import dev.vigil.testing.Repo;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentTest {
    @Test
    void theWholeLibraryLoadsLintedWithEveryStarterSignature() throws ContentException {
        Content c = Content.load(ContentSource.directory(Repo.root()));
        assertEquals(24, c.signatures().size());
        assertEquals(19, c.playbooks().all().size());
    }

    @Test
    void contextEvidenceAloneMakesNoDiagnosisForOtherRulesToSee() throws ContentException {
        SignatureCatalog catalog = SignatureCatalog.parse(List.of(new ContentFile("signatures/deploy.yaml", """
                id: deploy
                title: A deploy broke it
                severity: critical
                description: errors jump right after a deploy
                prior: 0.2
                target: [service]
                requires: [errors]
                evidence:
                  errors: {source: trace, weight: 2.0, description: error ratio jumps}
                  deployed: {source: event, weight: 1.0, description: a deploy happened}
                playbooks: [rollback]
                """)));
        RuleBase rules = RuleBase.compile(List.of(Content.diagnosisRules(catalog)));
        try (Engine engine = new Engine(rules, Engine.ClockKind.PSEUDO, 0)) {
            Evidence deployed = Evidence.of("deploy", "deployed", Target.service("pay"), "deployed", 0);
            engine.upsert(deployed);
            engine.fire();
            assertTrue(engine.state().diagnoses().isEmpty(), "a deploy without errors is context, not a failure");
            engine.upsert(Evidence.of("deploy", "errors", Target.service("pay"), "errors 12%", 0));
            engine.fire();
            assertEquals(List.of(new Diagnosis("deploy", Target.service("pay"))), engine.state().diagnoses());
        }
    }
}
