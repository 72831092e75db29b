package dev.vigil.ingest;

import static dev.vigil.ingest.OtlpFixtures.T0;
import static dev.vigil.ingest.OtlpFixtures.T0_MS;
import static dev.vigil.ingest.OtlpFixtures.kv;
import static dev.vigil.ingest.OtlpFixtures.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.ingest.OtlpDecoder.Encoding;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpMetricsTest {
    private static final Resource CHECKOUT = resource(kv("service.name", "checkout"), kv("service.namespace", "shop"),
            kv("service.instance.id", "pod-7"), kv("host.name", "node-3"), kv("cloud.region", "eu-west-1"));
    private static final Labels CHECKOUT_LABELS = Labels.of("job", "shop/checkout", "instance", "pod-7", "host", "node-3");

    @Test
    void aGaugeTakesItsLabelsFromTheResourceAndItsNormalisedAttributes() throws Exception {
        Metric gauge = Metric.newBuilder().setName("process.runtime.jvm.threads")
                .setGauge(Gauge.newBuilder().addDataPoints(point(42, kv("thread.state", "runnable"), kv("1st", "yes"),
                        kv("daemon", AnyValue.newBuilder().setBoolValue(true).build()), kv("empty", ""))))
                .build();

        List<MetricSample> samples = samples(decode(request(CHECKOUT, gauge)));

        assertEquals(List.of(new MetricSample("process_runtime_jvm_threads",
                with(CHECKOUT_LABELS, "thread_state", "runnable", "_1st", "yes", "daemon", "true"),
                42, MetricType.GAUGE, T0_MS)), samples, "empty attribute values are dropped; cloud.region is not a label");
    }

    @Test
    void withoutAnInstanceIdTheHostNameIsTheInstanceAndTheServiceAloneIsTheJob() throws Exception {
        Resource resource = resource(kv("service.name", "billing"), kv("host.name", "node-1"));
        Metric gauge = Metric.newBuilder().setName("up").setGauge(Gauge.newBuilder().addDataPoints(point(1, kv("job", "mine")))).build();

        MetricSample sample = samples(decode(request(resource, gauge))).get(0);

        assertEquals(Labels.of("job", "billing", "instance", "node-1", "host", "node-1"), sample.labels(),
                "the resource's job wins over a point attribute named job");
    }

    @Test
    void aMonotonicCumulativeSumIsACounterEndingInTotalAndANonMonotonicOneAGauge() throws Exception {
        Metric requests = sum("http.server.requests", true, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, point(7));
        Metric errors = sum("errors_total", true, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, point(2));
        Metric inFlight = sum("http.server.active_requests", false, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                NumberDataPoint.newBuilder().setTimeUnixNano(T0).setAsInt(3).build());

        List<MetricSample> samples = samples(decode(request(CHECKOUT, requests, errors, inFlight)));

        assertEquals(List.of(
                new MetricSample("http_server_requests_total", CHECKOUT_LABELS, 7, MetricType.COUNTER, T0_MS),
                new MetricSample("errors_total", CHECKOUT_LABELS, 2, MetricType.COUNTER, T0_MS),
                new MetricSample("http_server_active_requests", CHECKOUT_LABELS, 3, MetricType.GAUGE, T0_MS)), samples);
    }

    @Test
    void aHistogramBecomesCountSumAndCumulativeBucketsEndingInInf() throws Exception {
        Metric latency = Metric.newBuilder().setName("http.server.duration").setHistogram(Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T0).addAttributes(kv("route", "/pay"))
                        .setCount(10).setSum(2.5).addAllExplicitBounds(List.of(0.1, 1.0))
                        .addAllBucketCounts(List.of(6L, 3L, 1L))))
                .build();

        List<MetricSample> samples = samples(decode(request(CHECKOUT, latency)));

        Labels route = with(CHECKOUT_LABELS, "route", "/pay");
        assertEquals(List.of(
                new MetricSample("http_server_duration_count", route, 10, MetricType.COUNTER, T0_MS),
                new MetricSample("http_server_duration_sum", route, 2.5, MetricType.COUNTER, T0_MS),
                new MetricSample("http_server_duration_bucket", with(route, "le", "0.1"), 6, MetricType.COUNTER, T0_MS),
                new MetricSample("http_server_duration_bucket", with(route, "le", "1"), 9, MetricType.COUNTER, T0_MS),
                new MetricSample("http_server_duration_bucket", with(route, "le", "+Inf"), 10, MetricType.COUNTER, T0_MS)),
                samples);
    }

    @Test
    void anExponentialHistogramGivesCountAndSumOnly() throws Exception {
        Metric m = Metric.newBuilder().setName("rpc.duration").setExponentialHistogram(ExponentialHistogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T0).setCount(4).setSum(0.8)
                        .setScale(3).setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().addBucketCounts(4))))
                .build();

        assertEquals(List.of(
                new MetricSample("rpc_duration_count", CHECKOUT_LABELS, 4, MetricType.COUNTER, T0_MS),
                new MetricSample("rpc_duration_sum", CHECKOUT_LABELS, 0.8, MetricType.COUNTER, T0_MS)),
                samples(decode(request(CHECKOUT, m))));
    }

    @Test
    void aSummaryGivesCountAndSumCountersAndQuantileGauges() throws Exception {
        Metric m = Metric.newBuilder().setName("gc.pause").setSummary(Summary.newBuilder()
                .addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(T0).setCount(5).setSum(0.05)
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(0.01))
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(0.02))))
                .build();

        assertEquals(List.of(
                new MetricSample("gc_pause_count", CHECKOUT_LABELS, 5, MetricType.COUNTER, T0_MS),
                new MetricSample("gc_pause_sum", CHECKOUT_LABELS, 0.05, MetricType.COUNTER, T0_MS),
                new MetricSample("gc_pause", with(CHECKOUT_LABELS, "quantile", "0.5"), 0.01, MetricType.GAUGE, T0_MS),
                new MetricSample("gc_pause", with(CHECKOUT_LABELS, "quantile", "0.99"), 0.02, MetricType.GAUGE, T0_MS)),
                samples(decode(request(CHECKOUT, m))));
    }

    @Test
    void deltaAndUnspecifiedTemporalitiesAreRefusedByReasonAndTheRestKept() throws Exception {
        Metric delta = sum("requests", true, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, point(1), point(2));
        Metric deltaHistogram = Metric.newBuilder().setName("latency").setHistogram(Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T0).setCount(1))).build();
        Metric unspecified = sum("other", true, AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED, point(1));
        Metric kept = sum("kept", true, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, point(5));

        Decoded decoded = decode(request(CHECKOUT, delta, deltaHistogram, unspecified, kept));

        assertEquals(List.of("kept_total"), samples(decoded).stream().map(MetricSample::name).toList());
        assertEquals(Map.of("delta_temporality", 3L, "unspecified_temporality", 1L), decoded.rejected());
    }

    @Test
    void aPointOverALimitIsRefusedAloneAndOddPointsAreSkippedOrRefusedByReason() throws Exception {
        Metric gauge = Metric.newBuilder().setName("queue.depth").setGauge(Gauge.newBuilder()
                .addDataPoints(point(1, kv("queue", "a")))
                .addDataPoints(point(2, kv("queue", "x".repeat(5000))))
                .addDataPoints(point(3, kv("queue.name", "b"), kv("queue_name", "c")))
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T0))
                .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(4))
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T0)
                        .setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE)))
                .build();
        Metric badHistogram = Metric.newBuilder().setName("h").setHistogram(Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T0).setCount(1)
                        .addExplicitBounds(1).addBucketCounts(1))).build();

        Decoded decoded = decode(request(CHECKOUT, gauge, badHistogram));

        assertEquals(List.of(1.0), samples(decoded).stream().map(MetricSample::value).toList());
        assertEquals(Map.of("label_value_too_long", 1L, "duplicate_label", 1L, "missing_value", 1L,
                "invalid_timestamp", 1L, "invalid_histogram", 1L), decoded.rejected(),
                "the point without a recorded value is skipped, not refused");
    }

    @Test
    void moreSamplesThanTheRequestLimitRefusesTheRequest() {
        IngestLimits limits = new IngestLimits(1 << 20, 1 << 20, 64, 256, 4096, 1024, 4);
        Metric histogram = Metric.newBuilder().setName("h").setHistogram(Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T0).setCount(1)
                        .addAllExplicitBounds(List.of(1.0, 2.0)).addAllBucketCounts(List.of(1L, 0L, 0L)))).build();
        byte[] body = request(CHECKOUT, histogram).toByteArray();

        assertThrows(PayloadTooLargeException.class, () -> OtlpDecoder.metrics(body, Encoding.PROTOBUF, limits),
                "one point, but count + sum + three buckets is five samples");
    }

    @Test
    void jsonWithEnumsAsNumbersAndInt64AsStringsDecodesLikeProtobuf() throws Exception {
        String json = """
                {"resourceMetrics":[{"resource":{"attributes":[
                    {"key":"service.name","value":{"stringValue":"checkout"}},
                    {"key":"service.namespace","value":{"stringValue":"shop"}},
                    {"key":"service.instance.id","value":{"stringValue":"pod-7"}},
                    {"key":"host.name","value":{"stringValue":"node-3"}}]},
                  "scopeMetrics":[{"scope":{"name":"io.opentelemetry.sdk"},"metrics":[
                    {"name":"http.server.requests","unit":"1","sum":{"aggregationTemporality":2,"isMonotonic":true,
                      "dataPoints":[{"timeUnixNano":"1704067200000000000","asInt":"7","exemplars":[
                        {"timeUnixNano":"1704067200000000000","asDouble":1,"traceId":"5b8efff798038103d269b633813fc60c",
                         "spanId":"eee19b7ec3c1b174"}]}]}}]}]}]}
                """;

        Decoded decoded = OtlpDecoder.metrics(json.getBytes(), Encoding.JSON, IngestLimits.DEFAULTS);

        Metric requests = sum("http.server.requests", true, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                NumberDataPoint.newBuilder().setTimeUnixNano(T0).setAsInt(7).build());
        assertEquals(decode(request(CHECKOUT, requests)).items(), decoded.items());
        assertEquals(1, decoded.items().size());
    }

    private static ExportMetricsServiceRequest request(Resource resource, Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource)
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics)))).build();
    }

    private static Metric sum(String name, boolean monotonic, AggregationTemporality temporality, NumberDataPoint... points) {
        return Metric.newBuilder().setName(name).setSum(Sum.newBuilder().setIsMonotonic(monotonic)
                .setAggregationTemporality(temporality).addAllDataPoints(List.of(points))).build();
    }

    private static NumberDataPoint point(double value, KeyValue... attributes) {
        return NumberDataPoint.newBuilder().setTimeUnixNano(T0).setAsDouble(value).addAllAttributes(List.of(attributes)).build();
    }

    private static Decoded decode(ExportMetricsServiceRequest request) throws BadPayloadException {
        return OtlpDecoder.metrics(request.toByteArray(), Encoding.PROTOBUF, IngestLimits.DEFAULTS);
    }

    private static List<MetricSample> samples(Decoded decoded) {
        return decoded.items().stream().map(MetricSample.class::cast).toList();
    }

    private static Labels with(Labels base, String... pairs) {
        Map<String, String> m = new HashMap<>(base.asMap());
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return Labels.of(m);
    }
}
