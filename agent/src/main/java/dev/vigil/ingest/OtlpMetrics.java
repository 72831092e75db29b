package dev.vigil.ingest;

import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.List;
import java.util.Map;

/**
 * OTLP metrics to Prometheus-style samples; the mapping is described on {@link OtlpDecoder}. Refusals are counted
 * per data point, as OTLP's {@code rejected_data_points} counts them. One instance per resource of one request.
 */
final class OtlpMetrics {
    static final String DELTA_TEMPORALITY = "delta_temporality";
    static final String UNSPECIFIED_TEMPORALITY = "unspecified_temporality";
    static final String MISSING_VALUE = "missing_value";
    static final String INVALID_HISTOGRAM = "invalid_histogram";

    private final OtlpResource resource;
    private final IngestLimits limits;
    private final Decoded.Builder out;

    private OtlpMetrics(OtlpResource resource, IngestLimits limits, Decoded.Builder out) {
        this.resource = resource;
        this.limits = limits;
        this.out = out;
    }

    static Decoded decode(ExportMetricsServiceRequest request, IngestLimits limits) throws PayloadTooLargeException {
        long samples = request.getResourceMetricsList().stream().flatMap(r -> r.getScopeMetricsList().stream())
                .flatMap(s -> s.getMetricsList().stream()).mapToLong(OtlpMetrics::maxSamples).sum();
        if (samples > limits.maxItemsPerRequest()) {
            throw new PayloadTooLargeException("otlp metrics: the request makes up to " + samples
                    + " samples, the limit is " + limits.maxItemsPerRequest());
        }
        Decoded.Builder out = Decoded.builder();
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            OtlpMetrics decoder = new OtlpMetrics(OtlpResource.of(rm.getResource()), limits, out);
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                sm.getMetricsList().forEach(decoder::metric);
            }
        }
        return out.build();
    }

    private void metric(Metric m) {
        String name = PromNames.normalize(m.getName());
        String reason = name.isEmpty() ? RemoteWriteDecoder.INVALID_METRIC_NAME
                : Utf8Bytes.byteLength(name) > limits.maxLabelValueBytes() ? LabelCheck.LABEL_VALUE_TOO_LONG
                : temporalityProblem(m);
        if (reason != null) {
            out.reject(reason, dataPoints(m));
            return;
        }
        switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsList().forEach(p -> number(name, MetricType.GAUGE, p));
            case SUM -> {
                boolean counter = m.getSum().getIsMonotonic();
                String series = counter && !name.endsWith("_total") ? name + "_total" : name;
                m.getSum().getDataPointsList().forEach(p -> number(series, counter ? MetricType.COUNTER : MetricType.GAUGE, p));
            }
            case HISTOGRAM -> m.getHistogram().getDataPointsList().forEach(p -> histogram(name, p));
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsList().forEach(p -> exponentialHistogram(name, p));
            case SUMMARY -> m.getSummary().getDataPointsList().forEach(p -> summary(name, p));
            case DATA_NOT_SET -> { } // a metric without data has no points to take or refuse
        }
    }

    private void number(String name, MetricType type, NumberDataPoint p) {
        String problem = p.getValueCase() == NumberDataPoint.ValueCase.VALUE_NOT_SET ? MISSING_VALUE : null;
        Map<String, String> labels = labels(p.getAttributesList(), p.getTimeUnixNano(), p.getFlags(), problem);
        if (labels != null) {
            double value = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
            out.add(new MetricSample(name, Labels.of(labels), value, type, millis(p.getTimeUnixNano())));
        }
    }

    private void histogram(String name, HistogramDataPoint p) {
        int buckets = p.getBucketCountsCount();
        String problem = buckets != 0 && buckets != p.getExplicitBoundsCount() + 1 ? INVALID_HISTOGRAM : null;
        Map<String, String> labels = labels(p.getAttributesList(), p.getTimeUnixNano(), p.getFlags(), problem);
        if (labels == null) {
            return;
        }
        long t = millis(p.getTimeUnixNano());
        countAndSum(name, labels, p.getCount(), p.hasSum(), p.getSum(), t);
        long cumulative = 0;
        for (int i = 0; i < buckets; i++) {
            cumulative += p.getBucketCounts(i);
            labels.put("le", i < p.getExplicitBoundsCount() ? PromNames.formatFloat(p.getExplicitBounds(i)) : "+Inf");
            out.add(new MetricSample(name + "_bucket", Labels.of(labels), unsigned(cumulative), MetricType.COUNTER, t));
        }
    }

    private void exponentialHistogram(String name, ExponentialHistogramDataPoint p) {
        Map<String, String> labels = labels(p.getAttributesList(), p.getTimeUnixNano(), p.getFlags(), null);
        if (labels != null) {
            countAndSum(name, labels, p.getCount(), p.hasSum(), p.getSum(), millis(p.getTimeUnixNano()));
        }
    }

    private void summary(String name, SummaryDataPoint p) {
        Map<String, String> labels = labels(p.getAttributesList(), p.getTimeUnixNano(), p.getFlags(), null);
        if (labels == null) {
            return;
        }
        long t = millis(p.getTimeUnixNano());
        countAndSum(name, labels, p.getCount(), true, p.getSum(), t);
        for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
            labels.put("quantile", PromNames.formatFloat(q.getQuantile()));
            out.add(new MetricSample(name, Labels.of(labels), q.getValue(), MetricType.GAUGE, t));
        }
    }

    private void countAndSum(String name, Map<String, String> labels, long count, boolean hasSum, double sum, long t) {
        Labels set = Labels.of(labels);
        out.add(new MetricSample(name + "_count", set, unsigned(count), MetricType.COUNTER, t));
        if (hasSum) {
            out.add(new MetricSample(name + "_sum", set, sum, MetricType.COUNTER, t));
        }
    }

    /**
     * The point's labels (attributes normalised, then the resource's job, instance and host), or null when the point
     * carries no value (skipped, as Prometheus writes a stale marker for it) or was refused and counted.
     */
    private Map<String, String> labels(List<KeyValue> attributes, long timeUnixNano, int flags, String problem) {
        if ((flags & DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE) != 0) {
            return null;
        }
        LabelCollector labels = new LabelCollector();
        for (KeyValue kv : attributes) {
            String value = OtlpValues.text(kv.getValue());
            if (!value.isEmpty()) { // an empty label is an absent label in Prometheus
                labels.add(PromNames.normalize(kv.getKey()), value);
            }
        }
        resource.labelSeries(labels);
        String reason = timeUnixNano <= 0 ? OtlpDecoder.INVALID_TIMESTAMP : problem != null ? problem : labels.violation(limits);
        if (reason != null) {
            out.reject(reason);
            return null;
        }
        return labels.asMap();
    }

    /** Only cumulative points are kept: Vigil holds cumulative state, and a delta point alone is not a level. */
    private static String temporalityProblem(Metric m) {
        AggregationTemporality t = switch (m.getDataCase()) {
            case SUM -> m.getSum().getAggregationTemporality();
            case HISTOGRAM -> m.getHistogram().getAggregationTemporality();
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getAggregationTemporality();
            case GAUGE, SUMMARY, DATA_NOT_SET -> AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        };
        return switch (t) {
            case AGGREGATION_TEMPORALITY_CUMULATIVE -> null;
            case AGGREGATION_TEMPORALITY_DELTA -> DELTA_TEMPORALITY;
            default -> UNSPECIFIED_TEMPORALITY;
        };
    }

    private static long dataPoints(Metric m) {
        return switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsCount();
            case SUM -> m.getSum().getDataPointsCount();
            case HISTOGRAM -> m.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> m.getSummary().getDataPointsCount();
            case DATA_NOT_SET -> 0;
        };
    }

    /** An upper bound on the samples a metric makes, for the per-request limit. */
    private static long maxSamples(Metric m) {
        return switch (m.getDataCase()) {
            case HISTOGRAM -> m.getHistogram().getDataPointsList().stream().mapToLong(p -> 2L + p.getBucketCountsCount()).sum();
            case EXPONENTIAL_HISTOGRAM -> 2L * dataPoints(m);
            case SUMMARY -> m.getSummary().getDataPointsList().stream().mapToLong(p -> 2L + p.getQuantileValuesCount()).sum();
            case GAUGE, SUM, DATA_NOT_SET -> dataPoints(m);
        };
    }

    /** Counts are uint64 on the wire. */
    private static double unsigned(long v) {
        return v >= 0 ? v : (v >>> 1) * 2.0;
    }

    /** Times are uint64 nanoseconds; a value past 2^63 is refused as invalid before it gets here. */
    private static long millis(long unixNano) {
        return unixNano / 1_000_000;
    }
}
