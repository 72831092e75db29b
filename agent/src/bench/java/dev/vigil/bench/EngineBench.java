package dev.vigil.bench;

import dev.vigil.condense.CondenseConfig;
import dev.vigil.condense.Condenser;
import dev.vigil.content.ContentSource;
import dev.vigil.daemon.Content;
import dev.vigil.daemon.Pipeline;
import dev.vigil.engine.Engine;
import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Condensed updates per second through the engine session: each operation adds one sample to each of {@value #SERIES}
 * series the rules refer to, flushes the condensed states into the session (one update each), moves the clock and
 * fires the rules to quiescence — the engine thread's work per cycle. With the library, and with the library plus
 * 1,000 generated signatures, so the cost of a larger library shows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class EngineBench {
    static final int SERIES = 2000;

    @Param({"library", "library+1000"})
    public String content;

    private Path generatedDir;
    private Engine engine;
    private Condenser condenser;
    private List<MetricSample> template;
    private double[] values;
    private long now = 1_704_067_200_000L;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Content c;
        if (content.equals("library")) {
            c = BenchContent.library();
        } else {
            generatedDir = BenchContent.generated(1000);
            c = Content.load(ContentSource.directory(generatedDir));
        }
        engine = new Engine(c.rules(), Engine.ClockKind.PSEUDO, now);
        condenser = new Condenser(CondenseConfig.defaults(), c.rules().metricNames(), Pipeline.factsInto(() -> engine));
        SeriesSet set = new SeriesSet(SERIES, 1.0, c.rules().metricNames());
        template = java.util.stream.IntStream.range(0, SERIES).mapToObj(i -> {
            java.util.Map<String, String> labels = new java.util.TreeMap<>();
            set.labels(i).forEach(l -> labels.put(l[0], l[1]));
            return new MetricSample(set.name(i), Labels.of(labels), 0, set.counter(i) ? MetricType.COUNTER : MetricType.GAUGE, 0);
        }).toList();
        values = java.util.stream.IntStream.range(0, SERIES).mapToDouble(set::value).toArray();
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public int condensedUpdates() {
        now += 15_000;
        for (int i = 0; i < SERIES; i++) {
            MetricSample t = template.get(i);
            condenser.accept(new MetricSample(t.name(), t.labels(), values[i],
                    t.type(), now));
        }
        condenser.flush();
        engine.advanceTo(now);
        return engine.fire();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
        if (generatedDir != null) {
            BenchContent.delete(generatedDir);
        }
    }
}
