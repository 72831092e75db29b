package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.audit.AuditJournal;
import dev.vigil.audit.AuditOptions;
import dev.vigil.audit.SigningKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil audit verify | prove | consistency | keygen} on a real journal with rotation and checkpoints. */
class AuditCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path journal;
    Path key;
    Path publicKey;

    /** A key made by keygen, then 12 records a minute apart with one-minute checkpoints, rotating at 600 bytes. */
    @BeforeEach
    void journalWithCheckpoints() throws Exception {
        key = dir.resolve("signing.pem");
        publicKey = dir.resolve("signing.pem.pub");
        Run keygen = run("audit", "keygen", "--out", key.toString());
        assertEquals(0, keygen.exit, keygen.err);
        assertTrue(keygen.out.contains("key id " + SigningKey.load(key).id()), keygen.out);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));

        AtomicLong minutes = new AtomicLong();
        InstantSource clock = () -> Instant.parse("2024-05-01T12:00:00Z").plus(Duration.ofMinutes(minutes.get()));
        journal = dir.resolve("audit.jsonl");
        AuditOptions options = new AuditOptions(600, Duration.ZERO, Duration.ofMinutes(1), Optional.of(SigningKey.load(key)));
        try (AuditJournal j = AuditJournal.open(journal, clock, options)) {
            for (int i = 1; i <= 12; i++) {
                j.append("step", Map.of("n", i));
                minutes.incrementAndGet();
            }
        }
        assertTrue(Files.exists(dir.resolve("audit.jsonl.1")), "rotated");
    }

    @Test
    void verifyChecksChainAndCheckpointSignatures_andExitsZero() {
        Run r = run("audit", "verify", "--public-key", publicKey.toString(), journal.toString());
        assertEquals(0, r.exit, r.err);
        assertEquals(journal + ": ok: 24 records, chain intact; 12 checkpoints match, every signature valid for the given key\n",
                r.out);
    }

    @Test
    void verifyTakesTheDataDirectoryForItsJournal() {
        Run r = run("audit", "verify", dir.toString());
        assertEquals(0, r.exit, r.err);
        assertTrue(r.out.startsWith(journal + ": ok: 24 records, chain intact"), r.out);
    }

    @Test
    void verifyNamesTheFileLineAndSeqOfAModifiedRecord_andExitsOne() throws Exception {
        Path first = dir.resolve("audit.jsonl.1");
        List<String> lines = Files.readAllLines(first);
        lines.set(2, lines.get(2).replace("\"n\":2", "\"n\":3"));
        Files.write(first, lines);

        Run r = run("audit", "verify", journal.toString());
        assertEquals(1, r.exit);
        assertTrue(r.err.startsWith(journal + ": broken at " + first + " line 3 (seq 3): hash mismatch"), r.err);
    }

    @Test
    void verifyReportsATornTailWithItsOwnExitCode() throws Exception {
        String text = Files.readString(journal);
        Files.writeString(journal, text.substring(0, text.length() - 15));

        Run r = run("audit", "verify", journal.toString());
        assertEquals(3, r.exit, r.out + r.err);
        assertTrue(r.err.contains("torn tail at " + journal + " line "), r.err);
    }

    @Test
    void proveDefaultsToTheLatestCheckpoint_andPrintsAProofThatVerifies() throws Exception {
        Run r = run("audit", "prove", "--record", "5", journal.toString());
        assertEquals(0, r.exit, r.err);
        JsonNode proof = JSON.readTree(r.out);
        assertEquals(5, proof.get("seq").asLong());
        assertEquals(23, proof.get("tree_size").asLong(), "the last checkpoint covers 23 records");
        assertEquals(proof.get("root").asText(), proof.at("/checkpoint/root").asText());
        assertTrue(proof.get("verified").asBoolean());
        assertTrue(proof.get("path").size() >= 4, proof.toString());
    }

    @Test
    void consistencyFromACheckpointToTheEnd_verifies() throws Exception {
        Run r = run("audit", "consistency", "--from", "7", journal.toString());
        assertEquals(0, r.exit, r.err);
        JsonNode proof = JSON.readTree(r.out);
        assertEquals(7, proof.get("from").asLong());
        assertEquals(24, proof.get("to").asLong());
        assertEquals(proof.get("from_root").asText(), proof.at("/from_checkpoint/root").asText());
        assertTrue(proof.get("verified").asBoolean());
    }

    @Test
    void badArgumentsAreNamed_andExitTwo() throws Exception {
        Run r = run("audit", "prove", "--record", "99", journal.toString());
        assertEquals(2, r.exit);
        assertEquals("vigil audit prove: record seq must be in [1, 24], was 99\n", r.err);
        Run missing = run("audit", "verify", dir.resolve("nope.jsonl").toString());
        assertEquals(2, missing.exit);
        assertEquals("vigil audit verify: cannot read " + dir.resolve("nope.jsonl") + " (no such file)\n", missing.err);
        Path empty = dir.resolve("empty-data");
        Run noJournal = run("audit", "verify", Files.createDirectories(empty).toString());
        assertEquals(2, noJournal.exit);
        assertEquals("vigil audit verify: cannot read " + empty.resolve("audit.jsonl") + " (no such file)\n", noJournal.err);
        Run again = run("audit", "keygen", "--out", key.toString());
        assertEquals(2, again.exit);
        assertTrue(again.err.contains("already exists"), again.err);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }
}
