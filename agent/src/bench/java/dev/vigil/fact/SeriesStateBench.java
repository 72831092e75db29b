package dev.vigil.fact;

import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The packed {@link SeriesState} against the unpacked buffer it replaced ({@code ReferenceSeriesState}, the test
 * oracle), in one JVM, on {@value #SERIES} series at the 1-hour plateau (≈240 samples of moving values, 15 s apart).
 * {@code updateThenQuery}: each series gets a sample and is then asked what alpha constraints ask (held-for, rate,
 * covers, trend) — one series at a time, as the session evaluates an updated fact. {@code queryAcrossSeries}: one
 * query over every series in turn, as a join or accumulate walks its memory (the unpacked scratch is never reused).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class SeriesStateBench {
    static final int SERIES = 2000;

    @Param({"packed", "plain"})
    public String impl;

    private SeriesState[] packed;
    private ReferenceSeriesState[] plain;
    private long now;
    private final Random random = new Random(3);

    @Setup(Level.Trial)
    public void setUp() {
        packed = new SeriesState[SERIES];
        plain = new ReferenceSeriesState[SERIES];
        for (int i = 0; i < SERIES; i++) {
            packed[i] = new SeriesState("m", Labels.EMPTY, "", "", false, 3_600_000, 256);
            plain[i] = new ReferenceSeriesState("m", Labels.EMPTY, "", "", false, 3_600_000, 256);
        }
        for (int k = 0; k < 300; k++) {
            now += 15_000;
            tick();
        }
    }

    private void tick() {
        for (int i = 0; i < SERIES; i++) {
            long t = now + random.nextInt(5);
            double v = 1_000_000 + i + random.nextInt(7);
            if (impl.equals("packed")) {
                packed[i].add(t, v);
            } else {
                plain[i].add(t, v);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public double updateThenQuery() {
        now += 15_000;
        double sum = 0;
        for (int i = 0; i < SERIES; i++) {
            long t = now + random.nextInt(5);
            double v = 1_000_000 + i + random.nextInt(7);
            if (impl.equals("packed")) {
                SeriesState s = packed[i];
                s.add(t, v);
                sum += s.secondsAtLeast(1_000_000) + s.rate(300) + (s.covers(600) ? 1 : 0) + s.trend(3600).slope();
            } else {
                ReferenceSeriesState s = plain[i];
                s.add(t, v);
                sum += s.secondsAtLeast(1_000_000) + s.rate(300) + (s.covers(600) ? 1 : 0) + s.trend(3600).slope();
            }
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public double queryAcrossSeries() {
        double sum = 0;
        for (int i = 0; i < SERIES; i++) {
            sum += impl.equals("packed") ? packed[i].max(600) : plain[i].max(600);
        }
        return sum;
    }
}
