package dev.vigil.bench;

import dev.vigil.audit.AuditJournal;
import dev.vigil.audit.AuditOptions;
import dev.vigil.audit.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Comparator;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable audit records per second: each operation appends one record (the size of a pipeline decision record) and
 * commits it, so it returns only once the record is fsynced. With several threads their commits share fsyncs (group
 * commit). {@code signed} adds rotation at 64 MiB and a signed checkpoint every second, as the daemon would run.
 *
 * <p>Run: {@code java -cp agent/target/test-classes:agent/target/classes:$(cat cp.txt) org.openjdk.jmh.Main AuditJournalBench}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class AuditJournalBench {
    private static final Map<String, Object> DECISION = Map.of("decision", "d-1714564800000-42", "kind", "approve",
            "signature", "db-pool-saturated", "target", Map.of("service", "checkout", "host", "db-1"),
            "confidence", 0.91, "playbook", "recycle-pool", "reasons", java.util.List.of(
                    "pool_saturated strength 0.95", "latency_p99_high strength 0.8", "prior 0.3"));

    @Param({"false", "true"})
    boolean signed;

    private Path dir;
    private AuditJournal journal;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("vigil-audit-bench");
        AuditOptions options = signed
                ? new AuditOptions(64L << 20, Duration.ZERO, Duration.ofSeconds(1), Optional.of(SigningKey.generate()))
                : AuditOptions.NONE;
        journal = AuditJournal.open(dir.resolve("audit.jsonl"), InstantSource.system(), options);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        journal.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @Threads(1)
    public long durableRecord_1thread() {
        return appendAndCommit();
    }

    @Benchmark
    @Threads(4)
    public long durableRecord_4threads() {
        return appendAndCommit();
    }

    private long appendAndCommit() {
        long seq = journal.append("decision", DECISION).seq();
        journal.commit();
        return seq;
    }
}
