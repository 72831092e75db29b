package dev.vigil.bench;

import dev.vigil.audit.AuditJournal;
import dev.vigil.audit.AuditOptions;
import dev.vigil.audit.AuditRecord;
import dev.vigil.audit.AuditVerifier;
import dev.vigil.audit.JournalQuery;
import dev.vigil.audit.VerifyResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the governors' API costs on a large journal: 300,000 records (about 100 MB, sealed every 16 MiB), one in 20 a
 * decision, one decision in 100 of a rare signature. {@code newestDecisions}: the first page of
 * {@code GET /api/v1/decisions} (reads the newest file only); {@code rareSignature}: decisions of a signature that is
 * rare, so every file is read; {@code verify}: {@code GET /api/v1/audit/verify}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class JournalQueryBench {
    private static final int RECORDS = 300_000;

    private Path dir;
    private Path file;
    private JournalQuery query;

    @Setup(Level.Trial)
    public void write() throws IOException {
        dir = Files.createTempDirectory("vigil-query-bench");
        file = dir.resolve("audit.jsonl");
        try (AuditJournal journal = AuditJournal.open(file, InstantSource.system(),
                new AuditOptions(16L << 20, Duration.ZERO, Duration.ofMinutes(5), Optional.empty()))) {
            for (int i = 1; i <= RECORDS; i++) {
                boolean decision = i % 20 == 0;
                String signature = decision && i % 2000 == 0 ? "rare-signature" : "db-connection-pool-exhaustion";
                journal.append(decision ? "decision" : "evidence.holds", Map.of("id", "d-" + i, "signature", signature,
                        "target", Map.of("service", "checkout", "host", "app-" + (i % 50)), "decision", "approve",
                        "confidence", 0.91, "reasons", List.of("pool HikariPool-1 saturated 10/10 for 2m",
                                "18 threads waiting for a connection for 1m 30s", "confidence 0.91 is strong; risk low")));
            }
        }
        query = new JournalQuery(file);
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public List<AuditRecord> newestDecisions() throws IOException {
        return query.newestFirst(JournalQuery.Window.ALL, "decision", r -> true, 50).records();
    }

    @Benchmark
    public List<AuditRecord> rareSignature() throws IOException {
        return query.newestFirst(JournalQuery.Window.ALL, "decision",
                r -> r.data().path("signature").asText().equals("rare-signature"), 500).records();
    }

    @Benchmark
    public VerifyResult verify() throws IOException {
        return AuditVerifier.verify(file);
    }
}
