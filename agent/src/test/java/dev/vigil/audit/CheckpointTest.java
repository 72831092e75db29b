package dev.vigil.audit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Signed checkpoints over the Merkle tree of the records, their verification, and proofs from a journal's files. */
@Timeout(60)
class CheckpointTest {
    private static final SigningKey KEY = SigningKey.generate();

    private final FakeClock clock = new FakeClock("2024-05-01T12:00:00Z");

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void setUp() {
        file = dir.resolve("audit.jsonl");
    }

    private AuditOptions signed(SigningKey key) {
        return new AuditOptions(0, Duration.ZERO, Duration.ofMinutes(1), Optional.of(key));
    }

    /** Ten records a minute apart with a one-minute checkpoint interval, then close: a checkpoint before most of them. */
    private void tenRecords(AuditOptions options) {
        try (AuditJournal journal = AuditJournal.open(file, clock, options)) {
            for (int i = 1; i <= 10; i++) {
                journal.append("step", Map.of("n", i));
                clock.advance(Duration.ofSeconds(61));
            }
        }
    }

    @Test
    void checkpointsAreWrittenWhenDue_coverEveryRecordBeforeThem_andVerifyWithThePublicKey() throws IOException {
        tenRecords(signed(KEY));

        List<String> lines = AuditFiles.rawLines(file);
        assertEquals(20, lines.size(), "ten records and a checkpoint after each (the last one at close)");
        assertTrue(lines.get(1).contains("\"type\":\"journal.checkpoint\""), lines.get(1));
        assertTrue(lines.get(1).contains("\"tree_size\":1"), lines.get(1));
        assertTrue(lines.get(19).contains("\"tree_size\":19"), lines.get(19));

        VerifyResult withKey = AuditVerifier.verify(file, Optional.of(KEY.publicKey()));
        assertEquals("ok: 20 records, chain intact; 10 checkpoints match, every signature valid for the given key",
                withKey.describe());
        assertEquals("ok: 20 records, chain intact; 10 checkpoints match, signatures not checked (no public key given)",
                AuditVerifier.verify(file).describe());
    }

    @Test
    void theCheckpointRootIsTheRfc6962RootOfTheRecordLines_computedIndependently() throws IOException {
        tenRecords(signed(KEY));
        List<String> lines = AuditFiles.rawLines(file);
        JournalTree tree = JournalTree.load(file);
        Checkpoint last = tree.checkpoints().get(tree.checkpoints().size() - 1);

        assertEquals(19, last.treeSize());
        assertEquals(independentRoot(lines.subList(0, 19)), last.root());
        assertTrue(last.verify(KEY.publicKey()));
    }

    @Test
    void aCheckpointSignedByAnotherKey_orWithAForgedSignature_failsVerification() throws IOException {
        tenRecords(signed(KEY));
        PublicKey other = SigningKey.generate().publicKey();

        VerifyResult wrongKey = AuditVerifier.verify(file, Optional.of(other));
        assertEquals(2, wrongKey.firstBrokenLine());
        assertTrue(wrongKey.reason().startsWith("checkpoint was signed by key " + KEY.id().substring(0, 16)), wrongKey.reason());

        List<String> lines = AuditFiles.rawLines(file);
        String sig = lines.get(1).replaceFirst(".*\"signature\":\"([^\"]+)\".*", "$1");
        String forged = (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1);
        lines.set(1, AuditFiles.rehash(lines.get(1).replace(sig, forged)));
        rechainFrom(lines, 2);
        AuditFiles.write(file, lines);
        assertEquals("broken at " + file + " line 2 (seq 2): checkpoint signature is not valid for the given public key "
                + "(forged or altered)", AuditVerifier.verify(file, Optional.of(KEY.publicKey())).describe());
    }

    @Test
    void aHistoryRewrittenWithARecomputedChain_isCaughtByTheNextCheckpoint() throws IOException {
        tenRecords(signed(KEY));
        List<String> lines = AuditFiles.rawLines(file);
        lines.set(2, AuditFiles.rehash(lines.get(2).replace("\"n\":2", "\"n\":20")));
        rechainFrom(lines, 3); // every later prev and hash recomputed: the chain alone no longer shows it

        AuditFiles.write(file, lines);
        assertEquals("broken at " + file + " line 4 (seq 4): checkpoint root does not match the 3 records before it: "
                + "one of them, or the checkpoint, was changed", AuditVerifier.verify(file).describe());
    }

    @Test
    void withoutASigningKey_noCheckpointIsWritten_andTheOptionsSaySo() throws IOException {
        AuditOptions unsigned = new AuditOptions(0, Duration.ZERO, Duration.ofMinutes(1), Optional.empty());
        tenRecords(unsigned);

        assertEquals(10, AuditFiles.rawLines(file).size());
        assertTrue(unsigned.describe().contains("NO checkpoints: no audit.signing_key configured"), unsigned.describe());
        try (AuditJournal journal = AuditJournal.open(file, clock, unsigned)) {
            assertEquals(Optional.empty(), journal.checkpoint());
        }
    }

    @Test
    void reopeningRebuildsTheTree_soLaterCheckpointsStillMatch() throws IOException {
        tenRecords(signed(KEY));
        try (AuditJournal journal = AuditJournal.open(file, clock, signed(KEY))) {
            assertEquals(Optional.empty(), journal.checkpoint(), "the last record is a checkpoint already");
            journal.append("step", Map.of("n", 11));
            Checkpoint checkpoint = journal.checkpoint().orElseThrow();
            assertEquals(21, checkpoint.treeSize());
        }
        assertEquals("ok: 22 records, chain intact; 11 checkpoints match, every signature valid for the given key",
                AuditVerifier.verify(file, Optional.of(KEY.publicKey())).describe());
    }

    @Test
    void everyRecordHasAnInclusionProofToTheLatestCheckpoint_andTheLogOnlyGrewSinceEachCheckpoint() throws IOException {
        tenRecords(signed(KEY));
        JournalTree tree = JournalTree.load(file);
        Checkpoint latest = tree.checkpoints().get(tree.checkpoints().size() - 1);
        for (long seq = 1; seq <= latest.treeSize(); seq++) {
            JournalTree.InclusionProof proof = tree.prove(seq, latest.treeSize());
            assertEquals(latest.root(), proof.root());
            assertTrue(proof.verify(), "seq " + seq);
            JournalTree.InclusionProof wrong = new JournalTree.InclusionProof(seq, proof.treeSize(),
                    tree.prove(seq % latest.treeSize() + 1, latest.treeSize()).leafHash(), proof.root(), proof.path());
            assertFalse(wrong.verify(), "another record's leaf does not verify at seq " + seq);
        }
        for (Checkpoint earlier : tree.checkpoints()) {
            JournalTree.ConsistencyProof proof = tree.consistency(earlier.treeSize(), tree.size());
            assertEquals(earlier.root(), proof.fromRoot());
            assertTrue(proof.verify(), "from " + earlier.treeSize());
        }
    }

    @Test
    void proofsAreRefusedOverABrokenJournal() throws IOException {
        tenRecords(signed(KEY));
        List<String> lines = AuditFiles.rawLines(file);
        lines.remove(4);
        AuditFiles.write(file, lines);

        AuditException e = assertThrows(AuditException.class, () -> JournalTree.load(file));
        assertTrue(e.getMessage().startsWith("cannot build proofs over a broken journal: broken at " + file + " line 5"),
                e.getMessage());
    }

    @Test
    void aKeyMadeByOpensslLoads_andItsIdMatchesTheOpensslPublicKey() throws Exception {
        Path openssl = Path.of("/usr/bin/openssl");
        assumeTrue(Files.isExecutable(openssl), "needs openssl");
        Path pem = dir.resolve("signing.pem");
        Path pub = dir.resolve("signing.pub");
        run(openssl.toString(), "genpkey", "-algorithm", "ed25519", "-out", pem.toString());
        run(openssl.toString(), "pkey", "-in", pem.toString(), "-pubout", "-out", pub.toString());

        SigningKey key = SigningKey.load(pem);
        PublicKey fromOpenssl = SigningKey.loadPublic(pub);
        assertEquals(SigningKey.keyId(fromOpenssl), key.id());
        tenRecords(signed(key));
        assertTrue(AuditVerifier.verify(file, Optional.of(fromOpenssl)).ok());
    }

    @Test
    void aKeyWrittenAsPemReadsBack_andBadKeyFilesAreNamed() throws IOException {
        Path pem = Files.writeString(dir.resolve("k.pem"), KEY.privatePem());
        Path pub = Files.writeString(dir.resolve("k.pub"), KEY.publicPem());
        assertEquals(KEY.id(), SigningKey.load(pem).id());
        assertEquals(KEY.id(), SigningKey.keyId(SigningKey.loadPublic(pub)));
        assertEquals("SigningKey[Ed25519, id=" + KEY.id() + ", private=<secret>]", KEY.toString());

        assertEquals(pub + ": no -----BEGIN PRIVATE KEY----- block",
                assertThrows(IllegalArgumentException.class, () -> SigningKey.load(pub)).getMessage());
        Path missing = dir.resolve("missing.pem");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SigningKey.load(missing)).getMessage()
                .startsWith(missing + ": cannot read key file"));
    }

    @Test
    void callersCannotWriteTheJournalsOwnRecordTypes() {
        try (AuditJournal journal = AuditJournal.inMemory(clock)) {
            assertEquals("audit record type 'journal.checkpoint' is reserved for the journal itself",
                    assertThrows(IllegalArgumentException.class, () -> journal.append("journal.checkpoint", Map.of()))
                            .getMessage());
        }
    }

    /** Recomputes prev and hash of every line from {@code from} on, as a forger who controls the files would. */
    private static void rechainFrom(List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            lines.set(i, AuditFiles.rehash(AuditFiles.withPrev(lines.get(i), AuditFiles.hashOf(lines.get(i - 1)))));
        }
    }

    /** RFC 6962 root by the textbook recursion, with the test's own hashing. */
    private static String independentRoot(List<String> lines) {
        return java.util.HexFormat.of().formatHex(mth(lines));
    }

    private static byte[] mth(List<String> lines) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            if (lines.size() == 1) {
                sha.update((byte) 0);
                return sha.digest(lines.get(0).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            int k = 1;
            while (k * 2 < lines.size()) {
                k *= 2;
            }
            sha.update((byte) 1);
            sha.update(mth(lines.subList(0, k)));
            return sha.digest(mth(lines.subList(k, lines.size())));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "openssl finished");
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }
}
