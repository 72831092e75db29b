package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testing.ContentCopy;
import dev.vigil.testing.Repo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures in {@code signatures/shadow/}: evaluated on the same facts, their decisions recorded as {@code shadow}
 * and never acted on, until a governor promotes them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShadowModeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Path content;
    private Path audit;
    private Path scenarios;

    record Run(int exit, String out, String err) {
        List<JsonNode> json() {
            return out.lines().filter(l -> l.startsWith("{")).map(l -> {
                try {
                    return JSON.readTree(l);
                } catch (Exception e) {
                    throw new AssertionError(l, e);
                }
            }).toList();
        }
    }

    @BeforeAll
    void prepare(@TempDir Path tmp) throws Exception {
        scenarios = Repo.sharedOrSkip("scenarios");
        content = ContentCopy.of(tmp.resolve("content"));
        audit = tmp.resolve("audit");
        Path shadow = Files.createDirectories(content.resolve("signatures/shadow"));
        // a new signature: only in shadow
        Files.move(content.resolve("signatures/certificate-expiring.yaml"), shadow.resolve("certificate-expiring.yaml"));
        // a changed signature: the shadow version beside the live one
        Files.writeString(shadow.resolve("db-connection-pool-exhaustion.yaml"),
                Files.readString(content.resolve("signatures/db-connection-pool-exhaustion.yaml")).replace("prior: 0.2", "prior: 0.01"));
    }

    private Run vigil(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Run replay(String... files) {
        List<String> args = new ArrayList<>(List.of("replay", "--shadow", "--content", content.toString(), "--audit", audit.toString()));
        for (String f : files) {
            args.add(scenarios.resolve(f).toString());
        }
        return vigil(args.toArray(String[]::new));
    }

    @Test
    @Order(1)
    @DisplayName("a new signature in shadow acts on nothing: its decision is a shadow line saying what it would have done, and no playbook is planned nor approval asked")
    void aNewSignatureInShadowIsRecordedNeverActedOn() throws Exception {
        Run run = replay("certificate-expiring.jsonl");
        assertEquals(0, run.exit(), run.err());
        List<JsonNode> lines = run.json();
        assertEquals(1, lines.size(), run.out());
        JsonNode d = lines.get(0);
        assertEquals("shadow", d.get("decision").asText());
        assertEquals("execute", d.get("would").asText());
        assertEquals("renew-certificate", d.get("playbook").asText());
        List<String> journal = Files.readAllLines(audit.resolve("certificate-expiring.audit.jsonl"));
        assertTrue(journal.stream().anyMatch(l -> l.contains("\"decision\":\"shadow\"") && l.contains("\"would\":\"execute\"")), String.join("\n", journal));
        assertFalse(journal.stream().anyMatch(l -> l.contains("playbook.dry-run") || l.contains("approval.pending")), String.join("\n", journal));
    }

    @Test
    @Order(2)
    @DisplayName("a changed signature in shadow runs beside its live version, which keeps deciding as before, and the shadow lines stay out of --check")
    void aChangedSignatureInShadowRunsBesideTheLiveOne() {
        Run run = vigil("replay", "--shadow", "--check", "--content", content.toString(), scenarios.resolve("db-pool-exhaustion.jsonl").toString());
        assertEquals(0, run.exit(), run.out() + run.err());
        List<JsonNode> live = run.json().stream().filter(j -> !j.get("decision").asText().equals("shadow")).toList();
        List<JsonNode> shadow = run.json().stream().filter(j -> j.get("decision").asText().equals("shadow")).toList();
        assertEquals(1, live.size(), run.out());
        assertEquals("execute", live.get(0).get("decision").asText());
        assertEquals(1, shadow.size(), run.out());
        assertEquals("db-connection-pool-exhaustion", shadow.get(0).get("signature").asText());
        assertTrue(shadow.get(0).get("confidence").asDouble() < live.get(0).get("confidence").asDouble(), run.out());
        Run plain = vigil("replay", "--content", content.toString(), scenarios.resolve("db-pool-exhaustion.jsonl").toString());
        assertEquals(1, plain.json().size(), "without --shadow the output is the contract's only: " + plain.out());
    }

    @Test
    @Order(3)
    @DisplayName("promoting a signature moves it out of shadow, after which it acts")
    void promotingASignatureMakesItAct() throws Exception {
        Run unknown = vigil("signature", "promote", "no-such-signature", "--content", content.toString());
        assertEquals(2, unknown.exit());
        assertEquals("vigil signature promote: signature no-such-signature is not in shadow: no signatures/shadow/no-such-signature.yaml in "
                + content + "\n", unknown.err());

        Run promoted = vigil("signature", "promote", "certificate-expiring", "--content", content.toString());
        assertEquals(0, promoted.exit(), promoted.err());
        assertTrue(Files.exists(content.resolve("signatures/certificate-expiring.yaml")));
        assertFalse(Files.exists(content.resolve("signatures/shadow/certificate-expiring.yaml")));
        List<JsonNode> lines = replay("certificate-expiring.jsonl").json();
        assertEquals(1, lines.size());
        assertEquals("execute", lines.get(0).get("decision").asText());
    }
}
