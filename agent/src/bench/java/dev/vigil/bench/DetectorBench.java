package dev.vigil.bench;

import dev.vigil.condense.forecast.AnomalyDetector;
import dev.vigil.condense.forecast.ForecastParams;
import dev.vigil.condense.forecast.RobustTrend;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one update of the forecasting layer's detectors, per series: an anomaly score (seasonal forecast,
 * change detector, novelty, rarity of the evidence) and a robust-trend point, plus a trend fit. Each benchmark state
 * is one series, used by one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DetectorBench {
    private static final int N = 1 << 16;
    private final double[] values = new double[N];
    private AnomalyDetector detector;
    private RobustTrend trend;
    private long time;
    private int i;

    @Setup
    public void setUp() {
        Random r = new Random(1);
        for (int k = 0; k < N; k++) {
            values[k] = 1000 + 600 * Math.sin(k * 2 * Math.PI / 288) + 30 * r.nextGaussian();
        }
        detector = new AnomalyDetector(ForecastParams.defaults());
        trend = new RobustTrend(ForecastParams.defaults());
        for (int k = 0; k < 2000; k++) {
            next();
        }
    }

    private double next() {
        time += 300_000L;
        i = (i + 1) & (N - 1);
        return values[i];
    }

    /** One point through the anomaly detector (the per-sample cost on the ingest path). */
    @Benchmark
    public double anomalyUpdate() {
        return detector.update(time + 300_000L, next());
    }

    /** One point into the robust trend's window (the fit is lazy). */
    @Benchmark
    public int trendAdd() {
        trend.add(time + 300_000L, next());
        return trend.points();
    }

    /** One point, then a Theil–Sen fit over the 64-point window (what a rule asking every point would cost). */
    @Benchmark
    public double trendAddAndFit() {
        trend.add(time + 300_000L, next());
        return trend.fit().slope();
    }
}
