package dev.vigil.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.ingest.prompb.Remote.Label;
import dev.vigil.ingest.prompb.Remote.MetricMetadata;
import dev.vigil.ingest.prompb.Remote.Sample;
import dev.vigil.ingest.prompb.Remote.TimeSeries;
import dev.vigil.ingest.prompb.Remote.WriteRequest;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Decodes a Prometheus remote_write 1.0 body (a snappy block-compressed {@code WriteRequest}) into metric samples.
 * Pure and stateless, so thread-safe.
 *
 * <ul>
 *   <li>The declared uncompressed length is checked against {@link IngestLimits#maxDecodedBytes()}, and the block
 *       validated, before anything is allocated for the output: a snappy bomb costs nothing.</li>
 *   <li>A series is refused whole (all its samples counted under one reason) for a missing or invalid
 *       {@code __name__} ({@code invalid_metric_name}), a label name given twice ({@code duplicate_label}) or empty
 *       ({@code invalid_label_name}), or labels over the limits ({@link LabelCheck}: {@code too_many_labels},
 *       {@code label_name_too_long}, {@code label_value_too_long}); the metric name is the {@code __name__} label and
 *       is held to the label value limit too.</li>
 *   <li>Labels with an empty value are dropped: Prometheus treats them as absent.</li>
 *   <li>Type: COUNTER when the name ends in {@code _total}, {@code _count}, {@code _sum} or {@code _bucket}, or when
 *       the request's metadata declares the series' own name a counter; otherwise GAUGE. Histogram and summary
 *       metadata add nothing: their counter series carry those suffixes, and a summary's quantile series (named as
 *       the family) are gauges.</li>
 *   <li>Prometheus stale markers are skipped; they are neither samples nor refusals.</li>
 * </ul>
 */
public final class RemoteWriteDecoder {
    static final String INVALID_METRIC_NAME = "invalid_metric_name";
    private static final long STALE_NAN_BITS = 0x7ff0000000000002L;
    private static final List<String> COUNTER_SUFFIXES = List.of("_total", "_count", "_sum", "_bucket");

    private RemoteWriteDecoder() {
    }

    public static Decoded decode(byte[] body, IngestLimits limits) throws BadPayloadException {
        WriteRequest request = parse(uncompress(body, limits.maxDecodedBytes()));
        long samples = request.getTimeseriesList().stream().mapToLong(TimeSeries::getSamplesCount).sum();
        if (samples > limits.maxItemsPerRequest()) {
            throw new PayloadTooLargeException("remote_write: " + samples + " samples in one request, the limit is "
                    + limits.maxItemsPerRequest());
        }
        Map<String, MetricMetadata.MetricType> families = new HashMap<>();
        request.getMetadataList().forEach(m -> families.put(m.getMetricFamilyName(), m.getType()));
        Decoded.Builder out = Decoded.builder();
        for (TimeSeries series : request.getTimeseriesList()) {
            series(series, families, limits, out);
        }
        return out.build();
    }

    private static byte[] uncompress(byte[] body, int maxDecodedBytes) throws BadPayloadException {
        try {
            int declared = Snappy.uncompressedLength(body); // negative when the header declares 2 GiB or more
            if (declared < 0 || declared > maxDecodedBytes) {
                throw new PayloadTooLargeException("remote_write: body declares "
                        + Integer.toUnsignedString(declared) + " bytes uncompressed, the limit is " + maxDecodedBytes);
            }
            if (!Snappy.isValidCompressedBuffer(body)) {
                throw new BadPayloadException("remote_write: body is not valid snappy block format");
            }
            return Snappy.uncompress(body);
        } catch (IOException e) {
            throw new BadPayloadException("remote_write: body is not valid snappy block format (" + e.getMessage() + ")", e);
        }
    }

    private static WriteRequest parse(byte[] bytes) throws BadPayloadException {
        try {
            return WriteRequest.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new BadPayloadException("remote_write: invalid WriteRequest protobuf (" + e.getMessage() + ")", e);
        }
    }

    private static void series(TimeSeries series, Map<String, MetricMetadata.MetricType> families, IngestLimits limits,
                               Decoded.Builder out) {
        String name = null;
        String reason = null;
        LabelCollector labels = new LabelCollector();
        for (Label l : series.getLabelsList()) {
            if (!l.getName().equals("__name__")) {
                if (!l.getValue().isEmpty()) {
                    labels.add(l.getName(), l.getValue());
                }
            } else if (name == null) {
                name = l.getValue();
            } else {
                reason = LabelCollector.DUPLICATE_LABEL;
            }
        }
        if (reason == null) {
            reason = name == null || !PromNames.isValidMetricName(name) ? INVALID_METRIC_NAME
                    : name.length() > limits.maxLabelValueBytes() ? LabelCheck.LABEL_VALUE_TOO_LONG // ASCII: chars are bytes
                    : labels.violation(limits);
        }
        if (reason != null) {
            out.reject(reason, series.getSamplesList().stream().filter(s -> !isStale(s)).count());
            return;
        }
        Labels set = Labels.of(labels.asMap());
        MetricType type = type(name, families);
        for (Sample s : series.getSamplesList()) {
            if (!isStale(s)) {
                out.add(new MetricSample(name, set, s.getValue(), type, s.getTimestamp()));
            }
        }
    }

    private static MetricType type(String name, Map<String, MetricMetadata.MetricType> families) {
        boolean counter = COUNTER_SUFFIXES.stream().anyMatch(name::endsWith)
                || families.get(name) == MetricMetadata.MetricType.COUNTER;
        return counter ? MetricType.COUNTER : MetricType.GAUGE;
    }

    private static boolean isStale(Sample s) {
        return Double.doubleToRawLongBits(s.getValue()) == STALE_NAN_BITS;
    }
}
