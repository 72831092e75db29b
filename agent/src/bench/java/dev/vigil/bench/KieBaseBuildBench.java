package dev.vigil.bench;

import dev.vigil.content.ContentSource;
import dev.vigil.daemon.Content;
import java.nio.file.Path;
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
 * How long loading the content takes — signatures, playbooks, DRL compiled into a stream-mode KieBase, lint — which is
 * what a reload costs before the new rules can take over. The library, and the library plus 1,000 generated
 * signatures. Single shot: the first load in a JVM (cold) is what a daemon start pays; later ones what a reload pays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class KieBaseBuildBench {
    @Param({"library", "library+1000"})
    public String content;

    private Path dir;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = content.equals("library") ? BenchContent.repository() : BenchContent.generated(1000);
    }

    @Benchmark
    public Content load() throws Exception {
        return Content.load(ContentSource.directory(dir));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (!content.equals("library")) {
            BenchContent.delete(dir);
        }
    }
}
