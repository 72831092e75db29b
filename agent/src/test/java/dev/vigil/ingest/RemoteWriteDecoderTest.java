package dev.vigil.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.fact.Telemetry;
import dev.vigil.ingest.prompb.Remote.Label;
import dev.vigil.ingest.prompb.Remote.MetricMetadata;
import dev.vigil.ingest.prompb.Remote.Sample;
import dev.vigil.ingest.prompb.Remote.TimeSeries;
import dev.vigil.ingest.prompb.Remote.WriteRequest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class RemoteWriteDecoderTest {
    private static final IngestLimits LIMITS = IngestLimits.DEFAULTS;

    @Test
    void decodesEachSampleWithItsNameLabelsValueTypeAndTimestamp() throws Exception {
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(series("http_requests_total", List.of("job", "api", "code", "200"), 10, 1_000, 12, 2_000))
                .addTimeseries(series("node_memory_MemAvailable_bytes", List.of("instance", "h1:9100"), 4096, 1_500))
                .build();

        Decoded decoded = RemoteWriteDecoder.decode(snappy(request), LIMITS);

        assertEquals(List.of(
                new MetricSample("http_requests_total", Labels.of("job", "api", "code", "200"), 10, MetricType.COUNTER, 1_000),
                new MetricSample("http_requests_total", Labels.of("job", "api", "code", "200"), 12, MetricType.COUNTER, 2_000),
                new MetricSample("node_memory_MemAvailable_bytes", Labels.of("instance", "h1:9100"), 4096, MetricType.GAUGE, 1_500)),
                decoded.items());
        assertEquals(Map.of(), decoded.rejected());
    }

    @Test
    void samplesOfMetricsTheFilterDoesNotKeepAreCountedAsSkippedNotDecodedNorRefused() throws Exception {
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(series("up", List.of("job", "api"), 1, 1_000, 1, 2_000))
                .addTimeseries(series("go_goroutines", List.of("job", "api"), 40, 1_000, 41, 2_000))
                .addTimeseries(series("node_load1", List.of("instance", "x".repeat(LIMITS.maxLabelValueBytes() + 1)), 1, 1_000))
                .addTimeseries(series("9bad", List.of(), 1, 1_000))
                .build();

        Decoded decoded = RemoteWriteDecoder.decode(snappy(request), LIMITS, "up"::equals);

        assertEquals(List.of(new MetricSample("up", Labels.of("job", "api"), 1, MetricType.GAUGE, 1_000),
                new MetricSample("up", Labels.of("job", "api"), 1, MetricType.GAUGE, 2_000)), decoded.items());
        assertEquals(3, decoded.skipped(), "two samples of go_goroutines and one of node_load1, whose labels are never read");
        assertEquals(Map.of(RemoteWriteDecoder.INVALID_METRIC_NAME, 1L), decoded.rejected());
    }

    @Test
    void suffixesOfCountersAndHistogramsMakeCountersAndMetadataNamesTheRest() throws Exception {
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(series("rpc_seconds_count", List.of(), 1, 1))
                .addTimeseries(series("rpc_seconds_sum", List.of(), 1, 1))
                .addTimeseries(series("rpc_seconds_bucket", List.of("le", "+Inf"), 1, 1))
                .addTimeseries(series("rpc_seconds", List.of("quantile", "0.99"), 1, 1))
                .addTimeseries(series("jobs_processed", List.of(), 1, 1))
                .addTimeseries(series("queue_depth", List.of(), 1, 1))
                .addMetadata(metadata("jobs_processed", MetricMetadata.MetricType.COUNTER))
                .addMetadata(metadata("rpc_seconds", MetricMetadata.MetricType.SUMMARY))
                .build();

        Map<String, MetricType> types = typesByName(RemoteWriteDecoder.decode(snappy(request), LIMITS));

        assertEquals(Map.of("rpc_seconds_count", MetricType.COUNTER, "rpc_seconds_sum", MetricType.COUNTER,
                "rpc_seconds_bucket", MetricType.COUNTER, "rpc_seconds", MetricType.GAUGE,
                "jobs_processed", MetricType.COUNTER, "queue_depth", MetricType.GAUGE), types);
    }

    @Test
    void staleMarkersAreSkippedWithoutCountingAsRefusals() throws Exception {
        double stale = Double.longBitsToDouble(0x7ff0000000000002L);
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(series("up", List.of("job", "a"), 1, 1_000, stale, 2_000, Double.NaN, 3_000))
                .build();

        Decoded decoded = RemoteWriteDecoder.decode(snappy(request), LIMITS);

        assertEquals(List.of(1_000L, 3_000L), decoded.items().stream().map(Telemetry::timeMillis).toList(),
                "an ordinary NaN is a sample, the stale marker is not");
        assertEquals(0, decoded.rejectedCount());
    }

    @Test
    void aSeriesWithAOneMegabyteLabelValueIsRefusedWhileTheOthersAreKept() throws Exception {
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(series("up", List.of("job", "a"), 1, 1_000))
                .addTimeseries(series("up", List.of("job", "x".repeat(1 << 20)), 1, 1_000, 1, 2_000))
                .addTimeseries(series("up", List.of("job", "b"), 0, 1_000))
                .build();

        Decoded decoded = RemoteWriteDecoder.decode(snappy(request), LIMITS);

        assertEquals(List.of("a", "b"), decoded.items().stream().map(t -> ((MetricSample) t).labels().get("job")).toList());
        assertEquals(Map.of("label_value_too_long", 2L), decoded.rejected(), "every sample of the refused series counts");
    }

    @Test
    void eachLabelProblemRefusesOnlyItsOwnSeriesUnderItsReason() throws Exception {
        IngestLimits limits = new IngestLimits(1 << 20, 1 << 20, 2, 8, 64, 1024, 1000);
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(series("ok", List.of("a", "1", "b", "2"), 1, 1))
                .addTimeseries(series("dup", List.of("a", "1", "a", "2"), 1, 1))
                .addTimeseries(series("many", List.of("a", "1", "b", "2", "c", "3"), 1, 1))
                .addTimeseries(series("long_name", List.of("abcdefghi", "1"), 1, 1))
                .addTimeseries(series("long_value", List.of("a", "é".repeat(33)), 1, 1))
                .addTimeseries(series("9lives", List.of(), 1, 1))
                .addTimeseries(TimeSeries.newBuilder().addLabels(label("job", "nameless")).addSamples(sample(1, 1)))
                .addTimeseries(series("twice", List.of("__name__", "again"), 1, 1))
                .build();

        Decoded decoded = RemoteWriteDecoder.decode(snappy(request), limits);

        assertEquals(List.of("ok"), decoded.items().stream().map(t -> ((MetricSample) t).name()).toList());
        assertEquals(Map.of("duplicate_label", 2L, "too_many_labels", 1L, "label_name_too_long", 1L,
                "label_value_too_long", 1L, "invalid_metric_name", 2L), decoded.rejected(),
                "66 bytes of é are over the 64-byte limit though only 33 chars");
    }

    @Test
    void aSnappyBombIsRefusedFromItsHeaderWithoutAllocatingTheOutput() throws Exception {
        RemoteWriteDecoder.decode(snappy(WriteRequest.getDefaultInstance()), LIMITS); // loads the native library first
        byte[] declares2GiB = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0x00, 0x41};
        byte[] declares4GiB = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x00, 0x41};

        long allocated = allocatedBy(() -> {
            PayloadTooLargeException e = assertThrows(PayloadTooLargeException.class,
                    () -> RemoteWriteDecoder.decode(declares2GiB, LIMITS));
            assertTrue(e.getMessage().contains("2147483647"), e.getMessage());
            assertThrows(PayloadTooLargeException.class, () -> RemoteWriteDecoder.decode(declares4GiB, LIMITS));
        });

        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void aBodyDeclaringAnAllowedSizeItDoesNotHoldIsRefusedBeforeTheOutputIsAllocated() throws Exception {
        RemoteWriteDecoder.decode(snappy(WriteRequest.getDefaultInstance()), LIMITS);
        byte[] declares16MiB = {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 0x00, 0x41};

        long allocated = allocatedBy(() -> {
            BadPayloadException e = assertThrows(BadPayloadException.class, () -> RemoteWriteDecoder.decode(declares16MiB, LIMITS));
            assertTrue(e.getMessage().startsWith("remote_write: "), e.getMessage());
        });

        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void aBodyThatDecompressesPastTheLimitIsTooLarge() throws Exception {
        IngestLimits limits = new IngestLimits(1 << 20, 1024, 64, 256, 4096, 1024, 1000);
        byte[] body = snappy(WriteRequest.newBuilder().addTimeseries(series("up", List.of("job", "x".repeat(2000)), 1, 1)).build());

        assertThrows(PayloadTooLargeException.class, () -> RemoteWriteDecoder.decode(body, limits));
    }

    @Test
    void brokenSnappyIsABadPayload() {
        byte[] notSnappy = "POST me some metrics".getBytes();

        BadPayloadException e = assertThrows(BadPayloadException.class, () -> RemoteWriteDecoder.decode(notSnappy, LIMITS));

        assertTrue(e.getMessage().startsWith("remote_write: "), e.getMessage());
        assertTrue(!(e instanceof PayloadTooLargeException));
    }

    @Test
    void aTruncatedProtobufIsABadPayload() throws Exception {
        byte[] proto = WriteRequest.newBuilder().addTimeseries(series("up", List.of("job", "api"), 1, 1_000)).build().toByteArray();
        byte[] truncated = Snappy.compress(Arrays.copyOf(proto, proto.length - 3));

        BadPayloadException e = assertThrows(BadPayloadException.class, () -> RemoteWriteDecoder.decode(truncated, LIMITS));

        assertTrue(e.getMessage().startsWith("remote_write: invalid WriteRequest protobuf"), e.getMessage());
    }

    @Test
    void moreSamplesThanTheRequestLimitRefusesTheRequest() throws Exception {
        IngestLimits limits = new IngestLimits(1 << 20, 1 << 20, 64, 256, 4096, 1024, 2);
        byte[] body = snappy(WriteRequest.newBuilder().addTimeseries(series("up", List.of(), 1, 1, 1, 2, 1, 3)).build());

        assertThrows(PayloadTooLargeException.class, () -> RemoteWriteDecoder.decode(body, limits));
    }

    @Test
    void aFilterThatKeepsEveryNameDecodesExactlyAsNoFilter() throws Exception {
        double stale = Double.longBitsToDouble(0x7ff0000000000002L);
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(series("jobs_processed", List.of("job", "a"), 1, 1_000, stale, 2_000, Double.NaN, 3_000))
                .addTimeseries(series("up", List.of("job", "a", "job", "b"), 1, 1_000))
                .addTimeseries(TimeSeries.newBuilder().addLabels(label("__name__", "a")).addLabels(label("__name__", "b"))
                        .addSamples(sample(1, 1)))
                .addTimeseries(series("9bad", List.of(), 1, 1_000))
                .addTimeseries(series("ok_metric", List.of("", "v"), 1, 1_000))
                .addMetadata(metadata("jobs_processed", MetricMetadata.MetricType.COUNTER))
                .build();

        Decoded all = RemoteWriteDecoder.decode(snappy(request), LIMITS);
        Decoded kept = RemoteWriteDecoder.decode(snappy(request), LIMITS, name -> true);

        assertEquals(all, kept);
    }

    @Test
    void aFilterOverManyNamesMetManyTimesKeepsAndSkipsAsEachNameAlone() throws Exception {
        WriteRequest.Builder request = WriteRequest.newBuilder();
        double stale = Double.longBitsToDouble(0x7ff0000000000002L);
        for (int i = 0; i < 3_000; i++) {
            String name = "metric_" + (i * 7919 % 500); // 500 names, each met 6 times, in no order
            request.addTimeseries(series(name, List.of("instance", "h" + i), i, 1_000, i % 3 == 0 ? stale : i + 1, 2_000));
        }
        request.addTimeseries(series("m\u00e9tric_1", List.of(), 1, 1_000)); // not ASCII: refused in full, never skipped
        byte[] body = snappy(request.build());
        java.util.function.Predicate<String> kept = name -> name.hashCode() % 3 == 0;

        Decoded all = RemoteWriteDecoder.decode(body, LIMITS);
        Decoded filtered = RemoteWriteDecoder.decode(body, LIMITS, kept::test);

        List<Telemetry> expected = all.items().stream().filter(t -> kept.test(((MetricSample) t).name())).toList();
        assertEquals(expected, filtered.items());
        assertEquals(all.items().size() - expected.size(), filtered.skipped());
        assertEquals(all.rejected(), filtered.rejected());
        assertEquals(Map.of(RemoteWriteDecoder.INVALID_METRIC_NAME, 1L), filtered.rejected());
    }

    @Test
    void aSmallRequestAfterALargeOneOnTheSameThreadReadsOnlyItsOwnBytes() throws Exception {
        WriteRequest.Builder large = WriteRequest.newBuilder();
        for (int i = 0; i < 5_000; i++) {
            large.addTimeseries(series("node_load1", List.of("instance", "host-" + i + ":9100"), i, 1_000));
        }
        WriteRequest small = WriteRequest.newBuilder().addTimeseries(series("up", List.of("job", "a"), 1, 2_000)).build();
        List<Telemetry> expected = List.of(new MetricSample("up", Labels.of("job", "a"), 1, MetricType.GAUGE, 2_000));

        for (MetricFilter filter : List.<MetricFilter>of(MetricFilter.ALL, name -> true)) {
            assertEquals(5_000, RemoteWriteDecoder.decode(snappy(large.build()), LIMITS, filter).items().size());
            assertEquals(expected, RemoteWriteDecoder.decode(snappy(small), LIMITS, filter).items(),
                    "the bytes the large request left behind are not read");
        }
    }

    @Test
    void theSampleLimitCountsSkippedSamplesToo() throws Exception {
        IngestLimits limits = new IngestLimits(1 << 20, 1 << 20, 64, 256, 4096, 1024, 2);
        WriteRequest request = WriteRequest.newBuilder()
                .addTimeseries(series("go_goroutines", List.of(), 1, 1_000, 2, 2_000, 3, 3_000)).build();

        assertThrows(PayloadTooLargeException.class, () -> RemoteWriteDecoder.decode(snappy(request), limits, "up"::equals));
    }

    @Test
    void randomBytesOnlyEverRaiseBadPayload() throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            byte[] junk = new byte[random.nextInt(64)];
            random.nextBytes(junk);
            byte[] body = i % 2 == 0 ? junk : Snappy.compress(junk);
            try {
                RemoteWriteDecoder.decode(body, LIMITS);
            } catch (BadPayloadException expected) {
                // refused cleanly: what untrusted input may cause
            }
            try {
                RemoteWriteDecoder.decode(body, LIMITS, "up"::equals);
            } catch (BadPayloadException expected) {
                // the scanning path refuses junk as cleanly
            }
        }
    }

    private static TimeSeries series(String name, List<String> labels, double... valueTimePairs) {
        TimeSeries.Builder b = TimeSeries.newBuilder().addLabels(label("__name__", name));
        for (int i = 0; i < labels.size(); i += 2) {
            b.addLabels(label(labels.get(i), labels.get(i + 1)));
        }
        for (int i = 0; i < valueTimePairs.length; i += 2) {
            b.addSamples(sample(valueTimePairs[i], (long) valueTimePairs[i + 1]));
        }
        return b.build();
    }

    private static Label label(String name, String value) {
        return Label.newBuilder().setName(name).setValue(value).build();
    }

    private static Sample sample(double value, long timestamp) {
        return Sample.newBuilder().setValue(value).setTimestamp(timestamp).build();
    }

    private static MetricMetadata metadata(String family, MetricMetadata.MetricType type) {
        return MetricMetadata.newBuilder().setMetricFamilyName(family).setType(type).build();
    }

    private static byte[] snappy(WriteRequest request) throws IOException {
        return Snappy.compress(request.toByteArray());
    }

    private static Map<String, MetricType> typesByName(Decoded decoded) {
        return decoded.items().stream().map(MetricSample.class::cast)
                .collect(Collectors.toMap(MetricSample::name, MetricSample::type));
    }

    /** Bytes the current thread allocated while running {@code r} (HotSpot's per-thread counter). */
    private static long allocatedBy(Runnable r) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        r.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }
}
