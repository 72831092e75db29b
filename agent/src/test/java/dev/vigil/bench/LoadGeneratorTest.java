package dev.vigil.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.LogRecord;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.SpanRecord;
import dev.vigil.ingest.Decoded;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.OtlpDecoder;
import dev.vigil.ingest.RemoteWriteDecoder;
import dev.vigil.ingest.prompb.Remote.Label;
import dev.vigil.ingest.prompb.Remote.TimeSeries;
import dev.vigil.ingest.prompb.Remote.WriteRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/** The generator's own logic: the bodies it builds hold what it claims, and its percentile math. Not timed. */
class LoadGeneratorTest {
    private static final Set<String> RULE_NAMES = Set.of("up", "node_filesystem_avail_bytes", "process_open_fds");
    private static final long T = 1_704_067_200_000L;

    @Test
    @DisplayName("a remote_write body decodes to exactly the series of its slice, with their labels, values and time")
    void remoteWriteBodyDecodesToTheSeriesItClaims() throws Exception {
        SeriesSet set = new SeriesSet(1000, 0.05, RULE_NAMES);
        RemoteWriteBody rw = new RemoteWriteBody(set);

        WriteRequest req = WriteRequest.parseFrom(Snappy.uncompress(rw.body(100, 350, T)));

        assertEquals(250, req.getTimeseriesCount());
        for (int k = 0; k < req.getTimeseriesCount(); k++) {
            int i = 100 + k;
            TimeSeries ts = req.getTimeseries(k);
            Map<String, String> labels = new LinkedHashMap<>();
            for (Label l : ts.getLabelsList()) {
                labels.put(l.getName(), l.getValue());
            }
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("__name__", set.name(i));
            set.labels(i).forEach(l -> expected.put(l[0], l[1]));
            assertEquals(expected, labels, "labels of series " + i);
            assertEquals(1, ts.getSamplesCount());
            assertEquals(set.value(i), ts.getSamples(0).getValue());
            assertEquals(T, ts.getSamples(0).getTimestamp());
        }
    }

    @Test
    @DisplayName("Vigil's own decoder takes every sample of a generated body and refuses none")
    void vigilDecoderAcceptsEveryGeneratedSample() throws Exception {
        SeriesSet set = new SeriesSet(5000, 0.05, RULE_NAMES);
        Decoded decoded = RemoteWriteDecoder.decode(new RemoteWriteBody(set).body(0, 2000, T), IngestLimits.DEFAULTS);

        assertEquals(2000, decoded.items().size());
        assertEquals(0, decoded.rejectedCount());
        long referenced = decoded.items().stream().map(t -> ((MetricSample) t).name()).filter(RULE_NAMES::contains).count();
        assertEquals(100, referenced, "one series in 20 is named by a rule");
    }

    @Test
    @DisplayName("most generated series are named by no rule, and with share 0 none is")
    void mostSeriesAreUnrelatedToAnyRule() {
        SeriesSet none = new SeriesSet(10_000, 0, Set.of());
        for (int i = 0; i < none.size(); i++) {
            assertTrue(SeriesSet.UNRELATED.contains(none.name(i)), none.name(i));
        }
        SeriesSet some = new SeriesSet(10_000, 0.05, RULE_NAMES);
        long referenced = java.util.stream.IntStream.range(0, some.size()).filter(some::referenced).count();
        assertEquals(500, referenced);
    }

    @Test
    @DisplayName("a sender's slice sends every series once per pass, each pass at a later time even when the clock stands still")
    void sliceAdvancesTimestampsStrictly() throws Exception {
        RemoteWriteBody rw = new RemoteWriteBody(new SeriesSet(100, 0, Set.of()));
        IngestBench.Slice slice = new IngestBench.Slice(rw, 10, 60, 20);
        List<Long> times = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            Sender.Body b = slice.next(T);
            WriteRequest req = WriteRequest.parseFrom(Snappy.uncompress(b.bytes()));
            sizes.add(b.items());
            assertEquals(b.items(), req.getTimeseriesCount());
            times.add(req.getTimeseries(0).getSamples(0).getTimestamp());
        }
        assertEquals(List.of(20, 20, 10, 20, 20, 10), sizes);
        assertEquals(List.of(T, T, T, T + 1, T + 1, T + 1), times);
    }

    @Test
    @DisplayName("a trigger holds a filesystem at 1 % free for 90 s, ending at the given time")
    void triggerBodyHoldsTheDiskFullPattern() throws Exception {
        Decoded decoded = RemoteWriteDecoder.decode(DecisionProbe.triggerBody(7, T), IngestLimits.DEFAULTS);

        List<MetricSample> avail = decoded.items().stream().map(MetricSample.class::cast)
                .filter(m -> m.name().equals("node_filesystem_avail_bytes")).toList();
        MetricSample size = decoded.items().stream().map(MetricSample.class::cast)
                .filter(m -> m.name().equals("node_filesystem_size_bytes")).reduce((a, b) -> b).orElseThrow();
        assertEquals(3, avail.size());
        assertEquals(T - TriggerSeries.HELD_MILLIS, avail.get(0).timeMillis());
        assertEquals(T, avail.get(2).timeMillis());
        assertTrue(avail.stream().allMatch(a -> a.value() / size.value() < 0.02));
        assertEquals("bench-trigger-7:9100", size.labels().get("instance"));
    }

    @Test
    @DisplayName("the journal tail matches a decision to its trigger by host, and ignores other records")
    void probeMatchesDecisionsToTriggers() throws Exception {
        java.nio.file.Path none = java.nio.file.Files.createTempFile("journal", ".jsonl");
        try (DecisionProbe probe = new DecisionProbe(none, java.util.Optional.empty())) {
            probe.line("{\"seq\":3,\"type\":\"evidence.holds\",\"data\":{\"target\":{\"host\":\"bench-trigger-4\"}}}", 1);
            probe.line("{\"seq\":4,\"type\":\"decision\",\"data\":{\"decision\":\"execute\",\"target\":{\"host\":\"bench-trigger-4\"}}}", 2);
            assertEquals(Map.of("execute", 1L), probe.kinds());
            assertEquals(java.util.Optional.of(2L), probe.decidedAt(4), "seen in the file: decided then");
        } finally {
            java.nio.file.Files.delete(none);
        }
    }

    @Test
    @DisplayName("with the daemon in process, a decision counts as decided only once the journal's fsync covers it")
    void probeEndsTheLatencyAtTheFsyncWhenItCanSeeIt() throws Exception {
        java.nio.file.Path none = java.nio.file.Files.createTempFile("journal", ".jsonl");
        try (DecisionProbe probe = new DecisionProbe(none, java.util.Optional.of(() -> 0L))) {
            probe.line("{\"seq\":9,\"type\":\"decision\",\"data\":{\"decision\":\"execute\",\"target\":{\"host\":\"bench-trigger-2\"}}}", 5);
            assertEquals(java.util.Optional.empty(), probe.decidedAt(2), "appended, not durable yet");
            probe.fsynced(8, 6);
            assertEquals(java.util.Optional.empty(), probe.decidedAt(2), "an fsync up to an earlier record");
            probe.fsynced(9, 7);
            assertEquals(java.util.Optional.of(7L), probe.decidedAt(2));
        } finally {
            java.nio.file.Files.delete(none);
        }
    }

    @Test
    @DisplayName("OTLP log, metric and span bodies decode to as many records as they claim")
    void otlpBodiesDecodeToTheirCount() throws Exception {
        Decoded logs = OtlpDecoder.logs(OtlpBodies.logs(0, 500, T), OtlpDecoder.Encoding.PROTOBUF, IngestLimits.DEFAULTS);
        Decoded spans = OtlpDecoder.traces(OtlpBodies.traces(0, 300, T), OtlpDecoder.Encoding.PROTOBUF, IngestLimits.DEFAULTS);
        Decoded metrics = OtlpDecoder.metrics(OtlpBodies.metrics(new SeriesSet(1000, 0, Set.of()), 0, 200, T),
                OtlpDecoder.Encoding.PROTOBUF, IngestLimits.DEFAULTS);

        assertEquals(500, logs.items().stream().filter(LogRecord.class::isInstance).count());
        assertEquals(300, spans.items().stream().filter(SpanRecord.class::isInstance).count());
        assertEquals(200, metrics.items().stream().filter(MetricSample.class::isInstance).count());
        assertEquals(0, logs.rejectedCount() + spans.rejectedCount() + metrics.rejectedCount());
    }

    @Test
    @DisplayName("percentiles follow the nearest-rank method")
    void percentilesAreNearestRank() {
        Latencies l = new Latencies();
        for (long v = 100; v >= 1; v--) { // recorded out of order on purpose
            l.record(v);
        }
        assertEquals(50, l.percentileNanos(50));
        assertEquals(99, l.percentileNanos(99));
        assertEquals(100, l.percentileNanos(100));
        assertEquals(1, l.percentileNanos(0.5));

        Latencies three = new Latencies();
        three.record(30);
        three.record(10);
        Latencies other = new Latencies();
        other.record(20);
        three.merge(other);
        assertEquals(20, three.percentileNanos(50), "rank ceil(0.5 × 3) = 2");
        assertEquals(30, three.percentileNanos(99));
        assertTrue(Double.isNaN(new Latencies().percentileNanos(50)));
        assertThrows(IllegalArgumentException.class, () -> l.percentileNanos(0));
        assertThrows(IllegalArgumentException.class, () -> l.record(-1));
    }

    @Test
    @DisplayName("the generator refuses a target that is not on loopback")
    void refusesNonLoopbackTargets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Sender(URI.create("http://192.0.2.10:9795"), Sender.Protocol.REMOTE_WRITE));
        assertTrue(e.getMessage().contains("192.0.2.10"), e.getMessage());
        new Sender(URI.create("http://127.0.0.1:9795"), Sender.Protocol.REMOTE_WRITE); // accepted
    }
}
