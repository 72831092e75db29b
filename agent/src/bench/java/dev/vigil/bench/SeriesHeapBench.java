package dev.vigil.bench;

import dev.vigil.condense.CondenseConfig;
import dev.vigil.condense.Condenser;
import dev.vigil.engine.Engine;
import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.daemon.Content;
import dev.vigil.daemon.Pipeline;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.management.ObjectName;

/**
 * Heap per kept series at a chosen number of samples per series, without the HTTP path: the figure does not depend on
 * how much CPU the machine leaves to a load generator, so it can be taken on a busy machine and at the plateau (an hour
 * of 15 s samples) that an end-to-end soak reaches only after an hour.
 *
 * <p>Each series goes through the condense stage into the engine session with the library loaded, as the daemon's
 * engine thread does it; its first sample carries labels decoded afresh (own strings), as a decoder makes them.
 * Values: {@code steady} (the load generator's healthy constants), {@code moving} (integer steps and a few ms of jitter
 * in the scrape times) or {@code noise} (random doubles, the worst case for packing). Run with:
 * {@code java -Xmx4g -cp … dev.vigil.bench.SeriesHeapBench SERIES SAMPLES steady|moving|noise [histogram]}; with
 * {@code histogram} it also prints, per class, the bytes per kept series that the run added (a live-object class
 * histogram taken before and after, as {@code jmap -histo:live} prints it), to show where a series' heap goes.
 */
public final class SeriesHeapBench {
    private SeriesHeapBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int samples = Integer.parseInt(args[1]);
        String mode = args.length > 2 ? args[2] : "moving";
        boolean histogram = args.length > 3 && args[3].equals("histogram");
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
        Map<String, long[]> histogramBefore = histogram ? classHistogram() : Map.of();
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
        if (histogram) {
            printGrowth(histogramBefore, classHistogram(), kept);
        }
        engine.close();
    }

    /** Per class: instances and bytes of live objects (a full GC first), from the JVM's GC.class_histogram command. */
    private static Map<String, long[]> classHistogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> byClass = new HashMap<>();
        for (String line : text.split("\n")) {
            // " 1:  123  4567  java.lang.String (java.base@17)"
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                byClass.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return byClass;
    }

    private static void printGrowth(Map<String, long[]> before, Map<String, long[]> after, long kept) {
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long[] d = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
            total += d[1];
            grown.add(Map.entry(e.getKey(), d));
        }
        grown.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        System.out.printf(Locale.ROOT, "%10s %10s  %s%n", "B/series", "obj/series", "class (live objects added by the run)");
        for (Map.Entry<String, long[]> e : grown) {
            if (Math.abs(e.getValue()[1]) >= kept) { // at least a byte per series
                System.out.printf(Locale.ROOT, "%10.1f %10.2f  %s%n", e.getValue()[1] / (double) kept,
                        e.getValue()[0] / (double) kept, e.getKey());
            }
        }
        System.out.printf(Locale.ROOT, "%10.1f %10s  total%n", total / (double) kept, "");
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
