package dev.vigil.bench;

import dev.vigil.audit.AuditJournal;
import dev.vigil.content.ContentSource;
import dev.vigil.daemon.Content;
import dev.vigil.daemon.Pipeline;
import dev.vigil.daemon.PipelineOptions;
import dev.vigil.daemon.ReloadResult;
import dev.vigil.daemon.Reloader;
import dev.vigil.scenario.Observation;
import dev.vigil.scenario.Scenario;
import dev.vigil.scenario.ScenarioReader;
import dev.vigil.testing.ContentCopy;
import dev.vigil.testing.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long a reload of the full content library takes: load, compile, lint, diff, journal and swap into a pipeline
 * holding the state of a recorded incident (db-pool-exhaustion up to t=300). Each iteration edits one file so the
 * reload really swaps: a signature's title ({@code signature}: no DRL changes, so no DRL package is compiled again) or
 * a comment in {@code rules/filesystem.drl} ({@code rule-file}: that file's package is compiled again, the others are
 * reused). Run by hand:
 * {@code java -cp agent/target/test-classes:agent/target/classes:$(cat cp.txt) org.openjdk.jmh.Main ReloadBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(1)
public class ReloadBench {
    private Path dir;
    private Pipeline pipeline;
    private Reloader reloader;
    private int edits;

    @Param({"signature", "rule-file"})
    public String edited;

    @Setup(Level.Trial)
    public void start() throws Exception {
        dir = ContentCopy.of(Files.createTempDirectory("vigil-reload-bench"));
        Content content = Content.load(ContentSource.directory(dir));
        Scenario s = ScenarioReader.read(Repo.root().resolveSibling("shared/scenarios/db-pool-exhaustion.jsonl"));
        AuditJournal journal = AuditJournal.inMemory(InstantSource.fixed(Instant.EPOCH));
        pipeline = new Pipeline(content, PipelineOptions.replay(), journal, s.start().toEpochMilli());
        pipeline.topology(s.topology());
        for (Observation o : s.observations()) {
            if (o.t() <= 300) {
                pipeline.accept(o.telemetry());
            }
        }
        pipeline.step(s.start().toEpochMilli() + 300_000);
        reloader = new Reloader(content, work -> work.apply(pipeline), journal);
    }

    @Setup(Level.Iteration)
    public void edit() {
        if (edited.equals("signature")) {
            ContentCopy.edit(dir, "signatures/disk-full.yaml", "title: Filesystem full" + "!".repeat(edits),
                    "title: Filesystem full" + "!".repeat(edits + 1));
        } else {
            ContentCopy.edit(dir, "rules/filesystem.drl", "package vigil.rules.filesystem;" + " ".repeat(edits),
                    "package vigil.rules.filesystem;" + " ".repeat(edits + 1));
        }
        edits++;
    }

    @Benchmark
    public ReloadResult reloadFullLibrary() {
        ReloadResult r = reloader.reload("bench");
        if (!(r instanceof ReloadResult.Applied)) {
            throw new IllegalStateException(r.describe());
        }
        return r;
    }

    @TearDown(Level.Trial)
    public void stop() {
        reloader.close();
        pipeline.close();
    }
}
