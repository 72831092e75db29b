package dev.vigil.audit;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child process of {@link CrashTest}: four threads append and commit records as fast as they can, rotating and
 * checkpointing, and print {@code committed SEQ} for each record once its commit has returned. It runs until killed
 * (or, as a bound, until each thread has written 200,000 records).
 *
 * <p>Arguments: the journal's active file, the signing key (PEM).
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        AtomicLong ticks = new AtomicLong();
        Instant base = Instant.parse("2024-05-01T12:00:00Z");
        InstantSource clock = () -> base.plusMillis(ticks.incrementAndGet()); // 1 ms per reading: no wall clock
        AuditOptions options = new AuditOptions(16 * 1024, Duration.ZERO, Duration.ofMillis(100),
                Optional.of(SigningKey.load(Path.of(args[1]))));
        AuditJournal journal = AuditJournal.open(Path.of(args[0]), clock, options);
        journal.recovered().ifPresent(r -> out.println("recovered " + r));
        out.println("ready");
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            Thread writer = new Thread(() -> {
                String payload = "x".repeat(100 + 37 * thread);
                for (int i = 0; i < 200_000; i++) {
                    long seq = journal.append("step", Map.of("thread", thread, "i", i, "payload", payload)).seq();
                    journal.commit();
                    out.println("committed " + seq);
                }
            }, "writer-" + t);
            threads.add(writer);
            writer.start();
        }
        for (Thread writer : threads) {
            writer.join();
        }
        journal.close();
    }
}
