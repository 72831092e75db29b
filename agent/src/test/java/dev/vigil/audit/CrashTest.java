package dev.vigil.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal process killed with SIGKILL while four threads write under load loses no committed record: every seq the
 * child reported committed is in the chain, and verify passes or reports only a torn tail, which reopening recovers.
 */
@Timeout(90)
class CrashTest {
    private static final int COMMITTED_BEFORE_KILL = 300;

    @TempDir
    Path dir;

    @Test
    void aProcessKilledWhileWriting_losesNoCommittedRecord_andTheJournalReopensIntact() throws Exception {
        SigningKey key = SigningKey.generate();
        Path pem = Files.writeString(dir.resolve("key.pem"), key.privatePem());
        Path file = dir.resolve("audit.jsonl");
        for (int round = 1; round <= 2; round++) { // the second round starts from what the first crash left
            long highest = crashAfterLoad(file, pem, round);

            VerifyResult result = AuditVerifier.verify(file, Optional.of(key.publicKey()));
            assertTrue(result.ok() || result.tornTail(), "round " + round + ": " + result.describe());
            assertTrue(result.records() >= highest, "round " + round + ": seq " + highest
                    + " was reported committed, but the journal's intact chain ends at " + result.records());
            assertTrue(result.checkpoints() > 0, "checkpoints were written under load: " + result.describe());
            assertEquals(result.checkpoints(), result.signatures());
        }

        FakeClock clock = new FakeClock("2030-01-01T00:00:00Z");
        try (AuditJournal journal = AuditJournal.open(file, clock, new AuditOptions(64 * 1024,
                java.time.Duration.ZERO, java.time.Duration.ofMinutes(1), Optional.of(key)))) {
            journal.append("after-crash", Map.of());
            journal.commit();
        }
        VerifyResult after = AuditVerifier.verify(file, Optional.of(key.publicKey()));
        assertTrue(after.ok(), after.describe());
        assertTrue(JournalFiles.all(file).size() >= 2, "the load rotated the journal: " + JournalFiles.all(file));
    }

    /** Starts the writer, waits for enough committed records, kills it mid-write; returns the highest seq it reported. */
    private long crashAfterLoad(Path file, Path pem, int round) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only and the serial collector: the child's start, not its speed, is most of this test's time
        Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), file.toString(), pem.toString())
                .redirectError(dir.resolve("child-" + round + ".err").toFile())
                .start();
        AtomicLong committed = new AtomicLong();
        AtomicLong highest = new AtomicLong();
        CompletableFuture<Void> enough = new CompletableFuture<>();
        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("committed ")) {
                        highest.accumulateAndGet(Long.parseLong(line.substring(10)), Math::max);
                        if (committed.incrementAndGet() == COMMITTED_BEFORE_KILL) {
                            enough.complete(null);
                        }
                    }
                }
            } catch (IOException e) {
                enough.completeExceptionally(e);
            }
        });
        try {
            enough.get(45, TimeUnit.SECONDS);
            assertTrue(child.isAlive(), "the writer is still writing when it is killed");
        } finally {
            child.destroyForcibly();
        }
        assertTrue(child.waitFor(20, TimeUnit.SECONDS), "the writer died");
        drained.get(20, TimeUnit.SECONDS); // every line it printed before dying counts
        String err = Files.readString(dir.resolve("child-" + round + ".err"));
        assertTrue(err.lines().noneMatch(l -> l.contains("Exception")), "the writer failed on its own:\n" + err);
        System.out.println("crash round " + round + ": " + committed.get()
                + " commits reported, highest seq " + highest.get());
        return highest.get();
    }
}
