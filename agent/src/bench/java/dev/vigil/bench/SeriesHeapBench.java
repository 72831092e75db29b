package dev.vigil.bench;

import dev.vigil.condense.CondenseConfig;
import dev.vigil.condense.Condenser;
import dev.vigil.engine.Engine;
import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.daemon.Content;
import dev.vigil.daemon.Pipeline;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;

/**
 * Heap per kept series at a chosen number of samples per series, without the HTTP path: the figure does not depend on
 * how much CPU the machine leaves to a load generator, so it can be taken on a busy machine and at the plateau (an hour
 * of 15 s samples) that an end-to-end soak reaches only after an hour.
 *
 * <p>Each series goes through the condense stage into the engine session with the library loaded, as the daemon's
 * engine thread does it; its first sample carries labels decoded afresh (own strings), as a decoder makes them.
 * Values: {@code steady} (the load generator's healthy constants), {@code moving} (integer steps and a few ms of jitter
 * in the scrape times) or {@code noise} (random doubles, the worst case for packing). Run with:
 * {@code java -Xmx4g -cp … dev.vigil.bench.SeriesHeapBench SERIES SAMPLES steady|moving|noise}.
 */
public final class SeriesHeapBench {
    private SeriesHeapBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int samples = Integer.parseInt(args[1]);
        String mode = args.length > 2 ? args[2] : "moving";
        Content content = BenchContent.library();
        long start = 1_704_067_200_000L;
        Engine engine = new Engine(content.rules(), Engine.ClockKind.PSEUDO, start);
        CondenseConfig d = CondenseConfig.defaults();
        CondenseConfig config = new CondenseConfig(d.seriesRetentionMillis(), d.seriesCapacity(), d.idleMillis(),
                d.bucketMillis(), d.buckets(), d.slowSpanMillis(), Math.max(d.maxSeries(), n), d.maxTemplatesPerService(),
                d.maxLabelsPerSeries(), d.maxLogBodyChars());
        Condenser condenser = new Condenser(config, content.rules().metricNames(), Pipeline.factsInto(() -> engine));
        SeriesSet set = new SeriesSet(n, 1.0, content.rules().metricNames());
        long before = heapAfterGc();
        Random random = new Random(42);
        long last = start;
        for (int i = 0; i < n; i++) {
            TreeMap<String, String> labels = new TreeMap<>();
            set.labels(i).forEach(l -> labels.put(new String(l[0]), new String(l[1])));
            Labels own = Labels.of(labels);
            String name = new String(set.name(i));
            MetricType type = set.counter(i) ? MetricType.COUNTER : MetricType.GAUGE;
            double v = set.value(i);
            for (int k = 0; k < samples; k++) {
                long t = start + k * 15_000L;
                if (!mode.equals("steady")) {
                    t += random.nextInt(5);
                    v = mode.equals("noise") ? random.nextDouble() * 1e6 : Math.max(0, v + random.nextInt(7) - 3);
                }
                condenser.accept(new MetricSample(name, own, v, type, t));
                last = Math.max(last, t);
            }
            if (i % 5_000 == 4_999 || i == n - 1) {
                condenser.flush();
                engine.advanceTo(last);
                engine.fire();
            }
        }
        long after = heapAfterGc();
        long kept = condenser.stats().seriesActive();
        System.out.printf(Locale.ROOT, "%d series × %d samples (%s): %d kept; heap after GC %.1f → %.1f MiB; %.0f bytes per kept series%n",
                n, samples, mode, kept, before / 1048576.0, after / 1048576.0, (after - before) / (double) kept);
        engine.close();
    }

    private static long heapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
