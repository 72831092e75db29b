package dev.vigil.bench;

import dev.vigil.daemon.Content;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One benchmark run, in order: remote_write as fast as accepted (after a 10 s warm-up that is not measured), OTLP logs, metrics and traces as fast as accepted,
 * decision latency under half the remote_write maximum, then the same remote_write load (and warm-up) against
 * Prometheus, and an optional soak. Prints each figure as it is measured, with the load average at that moment. Not
 * thread-safe: one run per instance.
 */
public final class IngestBench {
    /**
     * What to run.
     *
     * @param series          active series in the background load
     * @param referencedShare share of them named by a rule (0..1)
     * @param connections     sender threads, each on its own connection
     * @param batch           samples (or records, spans) per request
     * @param phase           how long each throughput phase lasts
     * @param maxItems        most items a phase sends
     * @param triggers        disk-full triggers sent for decision latency (0: skip)
     * @param otlp            whether to run the OTLP phases
     * @param prometheus      the Prometheus binary to compare with, or empty to skip
     * @param soak            how long to hold half load while watching the heap (zero: skip)
     */
    public record Options(int series, double referencedShare, int connections, int batch, Duration phase, long maxItems,
                          int triggers, boolean otlp, Optional<Path> prometheus, Duration soak) {
        public Options {
            if (connections < 1 || batch < 1 || series < 1) {
                throw new IllegalArgumentException("connections, batch and series must be positive: " + this);
            }
            if (phase.isNegative() || phase.isZero() || phase.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("a phase lasts more than 0 s and at most 10 min, was " + phase);
            }
            if (soak.isNegative() || soak.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("a soak lasts at most 1 h, was " + soak);
            }
        }
    }

    private static final Duration WARM_UP = Duration.ofSeconds(10);
    /** How long the background load of the decision-latency phase runs before the first trigger. */
    private static final Duration BACKGROUND_FIRST = Duration.ofSeconds(2);

    private final Options options;
    private final PrintWriter out;
    private final Map<String, Double> figures = new TreeMap<>();

    public IngestBench(Options options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    /** Runs against {@code target} (started by the caller); returns the figures by name. */
    public Map<String, Double> run(VigilTarget target, Content content) throws IOException, InterruptedException {
        SeriesSet set = new SeriesSet(options.series(), options.referencedShare(), content.rules().metricNames());
        RemoteWriteBody rw = new RemoteWriteBody(set);
        long heapBefore = target.heapBytes();
        print("setup", String.format(Locale.ROOT, "%d series (%.0f %% named by a rule), %d connections, %d per request, "
                + "%d s per phase; heap %s", set.size(), options.referencedShare() * 100, options.connections(),
                options.batch(), options.phase().toSeconds(), mib(heapBefore)));

        // an unmeasured warm-up first, for each receiver alike: a cold JVM still compiling would be measured otherwise
        Duration warmUp = options.phase().compareTo(WARM_UP) < 0 ? options.phase() : WARM_UP;
        remoteWrite(target.base(), rw, 0, warmUp);
        target.drained(Duration.ofMinutes(2));
        Sender.Result max = remoteWrite(target.base(), rw, 0, options.phase());
        Map<String, Long> rejectedBefore = target.rejected();
        Optional<Duration> drain = target.drained(Duration.ofMinutes(2));
        double endToEnd = max.accepted() / ((max.elapsedNanos() + drain.orElse(Duration.ofMinutes(2)).toNanos()) / 1e9);
        report("vigil remote_write", max);
        figures.put("vigil.remote_write.accepted_per_s", max.acceptedPerSecond());
        figures.put("vigil.remote_write.end_to_end_per_s", endToEnd);
        print("vigil remote_write", String.format(Locale.ROOT, "end to end (accepted, then drained by the engine in %s): %,.0f samples/s",
                drain.map(d -> d.toMillis() + " ms").orElse("> 2 min"), endToEnd));
        long heapAfter = target.heapBytes();
        figures.put("vigil.heap_after_gc_bytes", (double) heapAfter);
        String kept = target.condensed().map(c -> {
            figures.put("vigil.series_kept", (double) c.seriesActive());
            double per = c.seriesActive() == 0 ? Double.NaN : (heapAfter - heapBefore) / (double) c.seriesActive();
            figures.put("vigil.heap_per_kept_series_bytes", per);
            return String.format(Locale.ROOT, "; %d series kept in condensed state, %.0f bytes of heap each; dropped at condense: %s",
                    c.seriesActive(), per, c.dropped());
        }).orElse("");
        print("vigil heap", (target.inProcess() ? "after GC " : "reported ") + mib(heapAfter) + " (was " + mib(heapBefore) + ")" + kept);
        print("vigil refusals", rejectedBefore.isEmpty() ? "none" : rejectedBefore.toString());

        if (options.otlp()) {
            otlp(target, "logs", Sender.Protocol.OTLP_LOGS, seq -> OtlpBodies.logs(seq[0], options.batch(), seq[1]));
            otlp(target, "metrics", Sender.Protocol.OTLP_METRICS,
                    seq -> OtlpBodies.metrics(set, (int) (seq[0] % Math.max(1, set.size() - options.batch())),
                            Math.min(options.batch(), set.size()), seq[1]));
            otlp(target, "traces", Sender.Protocol.OTLP_TRACES, seq -> OtlpBodies.traces(seq[0], options.batch(), seq[1]));
        }

        if (options.triggers() > 0) {
            decisionLatency(target, rw, max.acceptedPerSecond() / 2);
        }

        if (options.prometheus().isPresent()) {
            try (PrometheusProcess prometheus = PrometheusProcess.start(options.prometheus().get())) {
                remoteWrite(prometheus.base(), rw, 0, warmUp);
                Sender.Result prom = remoteWrite(prometheus.base(), rw, 0, options.phase());
                report("prometheus remote_write", prom);
                figures.put("prometheus.remote_write.accepted_per_s", prom.acceptedPerSecond());
                double ratio = max.acceptedPerSecond() / prom.acceptedPerSecond();
                figures.put("ratio.vigil_over_prometheus", ratio);
                print("ratio", String.format(Locale.ROOT, "Vigil/Prometheus remote_write accepted samples/s = %.2f "
                        + "(Vigil end to end %.2f); Prometheus RSS %s", ratio, endToEnd / prom.acceptedPerSecond(),
                        mib(prometheus.residentBytes())));
            }
        }

        if (!options.soak().isZero()) {
            soak(target, rw, max.acceptedPerSecond() / 2, heapBefore);
        }
        out.flush();
        return figures;
    }

    private Sender.Result remoteWrite(URI base, RemoteWriteBody rw, double rate, Duration duration) throws InterruptedException {
        List<Sender.BodySource> sources = new ArrayList<>();
        int n = rw.series().size();
        int threads = Math.min(options.connections(), n);
        for (int k = 0; k < threads; k++) {
            sources.add(new Slice(rw, k * n / threads, (k + 1) * n / threads, options.batch()));
        }
        return new Sender(base, Sender.Protocol.REMOTE_WRITE).run(sources, rate, duration, options.maxItems());
    }

    /** The series {@code [from, to)} of one sender thread, in batches, a new timestamp per pass over them. */
    static final class Slice implements Sender.BodySource {
        private final RemoteWriteBody rw;
        private final int from;
        private final int to;
        private final int batch;
        private int next;
        private long roundTime;

        Slice(RemoteWriteBody rw, int from, int to, int batch) {
            this.rw = rw;
            this.from = from;
            this.to = to;
            this.batch = batch;
            this.next = from;
        }

        @Override
        public Sender.Body next(long timeMillis) {
            if (next == from) {
                roundTime = Math.max(timeMillis, roundTime + 1); // strictly increasing per series, as TSDBs require
            }
            int end = Math.min(to, next + batch);
            byte[] body = rw.body(next, end, roundTime);
            int items = end - next;
            next = end == to ? from : end;
            return new Sender.Body(body, items);
        }
    }

    @FunctionalInterface
    private interface OtlpBuilder {
        byte[] build(long[] seqAndTime);
    }

    private void otlp(VigilTarget target, String signal, Sender.Protocol protocol, OtlpBuilder builder)
            throws IOException, InterruptedException {
        AtomicLong seq = new AtomicLong();
        List<Sender.BodySource> sources = new ArrayList<>();
        for (int k = 0; k < options.connections(); k++) {
            sources.add(t -> new Sender.Body(builder.build(new long[] {seq.getAndAdd(options.batch()), t}), options.batch()));
        }
        Map<String, Long> before = target.rejected();
        Sender.Result r = new Sender(target.base(), protocol).run(sources, 0, options.phase(), options.maxItems());
        Optional<Duration> drain = target.drained(Duration.ofMinutes(2));
        double endToEnd = r.accepted() / ((r.elapsedNanos() + drain.orElse(Duration.ofMinutes(2)).toNanos()) / 1e9);
        report("vigil otlp " + signal, r);
        figures.put("vigil.otlp_" + signal + ".accepted_per_s", r.acceptedPerSecond());
        figures.put("vigil.otlp_" + signal + ".end_to_end_per_s", endToEnd);
        print("vigil otlp " + signal, String.format(Locale.ROOT, "end to end %,.0f/s; new refusals %s", endToEnd,
                difference(before, target.rejected())));
    }

    private void decisionLatency(VigilTarget target, RemoteWriteBody rw, double rate) throws IOException, InterruptedException {
        if (target.journal().isEmpty()) {
            print("decision latency", "skipped: the journal file of the target is unknown (--journal)");
            return;
        }
        Duration every = Duration.ofMillis(100);
        Duration span = every.multipliedBy(options.triggers()).plusSeconds(2).plus(BACKGROUND_FIRST);
        try (DecisionProbe probe = new DecisionProbe(target.journal().get(), target.durableSeq())) {
            Thread background = new Thread(() -> {
                try {
                    remoteWrite(target.base(), rw, rate, span);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-background");
            background.start();
            Thread.sleep(BACKGROUND_FIRST.toMillis()); // the first trigger meets the background at its rate, not the phase before
            probe.run(target.base(), options.triggers(), every);
            Latencies latency = probe.await(Duration.ofSeconds(30));
            background.join();
            figures.put("vigil.decision_latency_p50_ms", latency.percentileMillis(50));
            figures.put("vigil.decision_latency_p99_ms", latency.percentileMillis(99));
            print("decision latency", String.format(Locale.ROOT, "under %,.0f samples/s background: %d triggers measured, "
                    + "p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d refused, %d undecided; decisions %s", rate,
                    latency.count(), latency.percentileMillis(50), latency.percentileMillis(99),
                    latency.percentileMillis(100), probe.refusedCount(), probe.undecidedCount(), probe.kinds()));
            print("decision example", probe.example().length() > 600 ? probe.example().substring(0, 600) + "…" : probe.example());
        }
    }

    private void soak(VigilTarget target, RemoteWriteBody rw, double rate, long heapBefore) throws IOException, InterruptedException {
        Duration slice = Duration.ofMinutes(1).compareTo(options.soak()) < 0 ? Duration.ofMinutes(1) : options.soak();
        long slices = Math.max(1, options.soak().toSeconds() / slice.toSeconds());
        for (long i = 1; i <= slices; i++) {
            Sender.Result r = remoteWrite(target.base(), rw, rate, slice);
            long heap = target.heapBytes();
            String kept = target.condensed().map(c -> String.format(Locale.ROOT, ", %d series kept, %.0f B each",
                    c.seriesActive(), c.seriesActive() == 0 ? Double.NaN : (heap - heapBefore) / (double) c.seriesActive())).orElse("");
            print("soak " + i * slice.toSeconds() + " s", String.format(Locale.ROOT, "%,.0f samples/s accepted, ack p99 %.1f ms, heap %s%s; refusals %s",
                    r.acceptedPerSecond(), r.ack().percentileMillis(99), mib(heap), kept, target.rejected()));
            figures.put("vigil.soak.heap_bytes." + i, (double) heap);
        }
    }

    private void report(String what, Sender.Result r) {
        print(what, String.format(Locale.ROOT, "%,.0f accepted/s (%,d in %.1f s, %d requests); ack p50 %.2f ms, p99 %.2f ms; "
                        + "refused %s", r.acceptedPerSecond(), r.accepted(), r.elapsedNanos() / 1e9, r.requests(),
                r.ack().percentileMillis(50), r.ack().percentileMillis(99), r.refused().isEmpty() ? "none" : r.refused()));
    }

    private static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    private void print(String what, String line) {
        out.printf(Locale.ROOT, "%-24s %s  [load %s]%n", what + ":", line, loadAverage());
        out.flush();
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
