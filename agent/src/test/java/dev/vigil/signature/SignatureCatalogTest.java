package dev.vigil.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import dev.vigil.content.ContentSource;
import dev.vigil.testing.Repo;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SignatureCatalogTest {
    private static final String VALID = """
            id: pool
            title: Pool exhausted
            severity: critical
            description: a pool is exhausted while its database is fine
            prior: 0.2
            target: [service, host]
            evidence:
              saturated: {source: metric, weight: 2.0, description: active >= max for 60s}
            playbooks: [recycle]
            """;

    @Test
    void theBuiltInLibraryLoadsWithTheIdsOfTheStarterLibrary() throws ContentException {
        SignatureCatalog c = SignatureCatalog.load(ContentSource.directory(Repo.root()));
        for (String id : List.of("db-connection-pool-exhaustion", "postgres-connection-slots-exhausted", "disk-will-fill",
                "bad-deploy", "dependency-outage", "crashloop", "jvm-gc-thrashing", "certificate-expiring", "node-not-ready",
                "dns-resolution-failure")) {
            assertEquals(true, c.get(id).isPresent(), id);
        }
    }

    @Test
    void everySchemaErrorNamesFileLineAndField() {
        String broken = VALID.replace("weight: 2.0", "weight: heavy").replace("severity: critical", "severity: dire");
        ContentException e = assertThrows(ContentException.class,
                () -> SignatureCatalog.parse(List.of(new ContentFile("signatures/pool.yaml", broken))));
        assertEquals(List.of(
                "signatures/pool.yaml:3: severity: does not have a value in the enumeration [\"info\", \"warning\", \"critical\"]",
                "signatures/pool.yaml:8: evidence.saturated.weight: string found, number expected"),
                e.errors().stream().map(ContentError::toString).toList());
    }

    @Test
    void theIdMustMatchTheFileAndRequiresMustNameEvidenceKeys() {
        String broken = VALID.replace("evidence:", "requires: [nope]\nevidence:");
        ContentException e = assertThrows(ContentException.class,
                () -> SignatureCatalog.parse(List.of(new ContentFile("signatures/other.yaml", broken))));
        assertEquals(List.of(
                "signatures/other.yaml:1: id: must equal the file name other, was pool",
                "signatures/other.yaml:7: requires[0]: names nope, which is not an evidence key of this signature [saturated]"),
                e.errors().stream().map(ContentError::toString).toList());
    }

    @Test
    @DisplayName("an anomaly evidence that could make a diagnosis alone is refused: in requires, or with requires empty")
    void anomalyEvidenceIsNeverSufficientAlone() {
        String anomaly = VALID.replace("playbooks: [recycle]",
                "  odd: {source: metric, weight: 1.0, anomaly_of: [hikaricp_connections_active], description: unusual pool use}\n"
                        + "playbooks: [recycle]");
        ContentException empty = assertThrows(ContentException.class,
                () -> SignatureCatalog.parse(List.of(new ContentFile("signatures/pool.yaml", anomaly))));
        ContentException required = assertThrows(ContentException.class,
                () -> SignatureCatalog.parse(List.of(new ContentFile("signatures/pool.yaml",
                        anomaly.replace("evidence:", "requires: [saturated, odd]\nevidence:")))));
        ContentException exact = assertThrows(ContentException.class,
                () -> SignatureCatalog.parse(List.of(new ContentFile("signatures/pool.yaml",
                        anomaly.replace("weight: 1.0, anomaly_of", "weight: 1.0, exact: true, anomaly_of")
                                .replace("evidence:", "requires: [saturated]\nevidence:")))));

        assertEquals(List.of("signatures/pool.yaml:9: evidence.odd: is an anomaly evidence, but requires is empty, so the "
                        + "anomaly alone would make a diagnosis: list the evidence that must hold in requires"),
                empty.errors().stream().map(ContentError::toString).toList());
        assertEquals(List.of("signatures/pool.yaml:7: requires[1]: names odd, an anomaly evidence: an anomaly only supports "
                        + "a diagnosis, it never makes one"),
                required.errors().stream().map(ContentError::toString).toList());
        assertEquals(List.of("signatures/pool.yaml:10: evidence.odd.exact: an anomaly score is never an exact measurement: "
                        + "anomaly evidence cannot be exact"),
                exact.errors().stream().map(ContentError::toString).toList());
    }

    @Test
    @DisplayName("an anomaly evidence beside required evidence loads, and needs no rule of its own (one is generated)")
    void anomalyEvidenceSupportingRequiredEvidenceLoads() throws ContentException {
        String ok = VALID.replace("evidence:", "requires: [saturated]\nevidence:").replace("playbooks: [recycle]",
                "  odd: {source: metric, weight: 1.0, anomaly_of: [hikaricp_connections_active], description: unusual pool use}\n"
                        + "playbooks: [recycle]");
        SignatureCatalog c = SignatureCatalog.parse(List.of(new ContentFile("signatures/pool.yaml", ok)));
        EvidenceSpec odd = c.get("pool").orElseThrow().evidence().get("odd");

        assertEquals(List.of("hikaricp_connections_active"), odd.anomalyOf());
        List<RuleRef> rules = List.of(new RuleRef("saturated", "rules/a.drl", 3, "pool", "saturated", null, false));
        assertEquals(List.of(), RuleLinter.lint(c, rules, Set.of("recycle")).stream().map(ContentError::toString).toList());
    }

    @Test
    void brokenYamlIsReportedWithItsLine() {
        ContentException e = assertThrows(ContentException.class,
                () -> SignatureCatalog.parse(List.of(new ContentFile("signatures/pool.yaml", "id: pool\ntitle: [unclosed\n"))));
        assertEquals("signatures/pool.yaml", e.errors().get(0).file());
        assertEquals(true, e.errors().get(0).line() >= 2, e.getMessage());
    }

    @Test
    void theLinterChecksEveryCrossReference() throws ContentException {
        SignatureCatalog c = SignatureCatalog.parse(List.of(new ContentFile("signatures/pool.yaml", VALID)));
        List<RuleRef> rules = List.of(
                new RuleRef("unknown sig", "rules/a.drl", 3, "nope", "x", null, false),
                new RuleRef("no metadata", "rules/a.drl", 9, null, null, null, false),
                new RuleRef("bad key", "rules/a.drl", 15, "pool", "missing-key", null, false),
                new RuleRef("grouping", "rules/g.drl", 2, null, null, null, true));
        List<String> errors = RuleLinter.lint(c, rules, Set.of()).stream().map(ContentError::toString).toList();
        assertEquals(List.of(
                "rules/a.drl:3: rule \"unknown sig\": @signature names unknown signature nope",
                "rules/a.drl:9: rule \"no metadata\": @signature is missing: every rule names its signature and evidence key (or is marked @generic)",
                "rules/a.drl:15: rule \"bad key\": @evidence names missing-key, which is not an evidence key of pool [saturated]",
                "signatures/pool.yaml:8: evidence.saturated: no rule observes this evidence key",
                "signatures/pool.yaml:9: playbooks[0]: unknown playbook recycle"), errors);
    }
}
