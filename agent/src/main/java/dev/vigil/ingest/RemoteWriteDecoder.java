package dev.vigil.ingest;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.ingest.prompb.Remote.Label;
import dev.vigil.ingest.prompb.Remote.MetricMetadata;
import dev.vigil.ingest.prompb.Remote.Sample;
import dev.vigil.ingest.prompb.Remote.TimeSeries;
import dev.vigil.ingest.prompb.Remote.WriteRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 *   <li>A series with a valid name that the {@link MetricFilter} does not keep is counted as skipped as soon as its
 *       name is read: no labels are checked or built for it.</li>
 * </ul>
 */
public final class RemoteWriteDecoder {
    static final String INVALID_METRIC_NAME = "invalid_metric_name";
    private static final long STALE_NAN_BITS = 0x7ff0000000000002L;
    private static final List<String> COUNTER_SUFFIXES = List.of("_total", "_count", "_sum", "_bucket");

    private RemoteWriteDecoder() {
    }

    public static Decoded decode(byte[] body, IngestLimits limits) throws BadPayloadException {
        return decode(body, limits, MetricFilter.ALL);
    }

    /**
     * Decodes keeping only the samples of metrics {@code keep} keeps. With a real filter the request is first only
     * scanned: a series whose name is not kept is counted as skipped without building its labels, strings or samples,
     * which is most of a Prometheus's traffic; the kept series are decoded as usual.
     */
    public static Decoded decode(byte[] body, IngestLimits limits, MetricFilter keep) throws BadPayloadException {
        byte[] bytes = uncompress(body, limits.maxDecodedBytes());
        if (keep == MetricFilter.ALL) {
            return decodeAll(parse(bytes), limits);
        }
        return decodeKept(bytes, limits, keep);
    }

    private static Decoded decodeAll(WriteRequest request, IngestLimits limits) throws BadPayloadException {
        long samples = request.getTimeseriesList().stream().mapToLong(TimeSeries::getSamplesCount).sum();
        checkSampleCount(samples, limits);
        Map<String, MetricMetadata.MetricType> families = new HashMap<>();
        request.getMetadataList().forEach(m -> families.put(m.getMetricFamilyName(), m.getType()));
        Decoded.Builder out = Decoded.builder();
        for (TimeSeries series : request.getTimeseriesList()) {
            series(series, families, limits, out);
        }
        return out.build();
    }

    private static void checkSampleCount(long samples, IngestLimits limits) throws PayloadTooLargeException {
        if (samples > limits.maxItemsPerRequest()) {
            throw new PayloadTooLargeException("remote_write: " + samples + " samples in one request, the limit is "
                    + limits.maxItemsPerRequest());
        }
    }

    private static Decoded decodeKept(byte[] bytes, IngestLimits limits, MetricFilter keep) throws BadPayloadException {
        List<SeriesScan> scans = new ArrayList<>();
        Map<String, MetricMetadata.MetricType> families = new HashMap<>();
        long samples = 0;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                int field = WireFormat.getTagFieldNumber(tag);
                boolean delimited = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
                if (field == 1 && delimited) {
                    int length = in.readRawVarint32();
                    if (length < 0 || length > bytes.length - in.getTotalBytesRead()) {
                        throw new InvalidProtocolBufferException("a length runs past the end of its message");
                    }
                    SeriesScan scan = SeriesScan.of(bytes, in.getTotalBytesRead(), length);
                    in.skipRawBytes(length);
                    samples += scan.samples;
                    scans.add(scan);
                } else if (field == 3 && delimited) {
                    MetricMetadata m = MetricMetadata.parseFrom(in.readBytes());
                    families.put(m.getMetricFamilyName(), m.getType());
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new BadPayloadException("remote_write: invalid WriteRequest protobuf (" + e.getMessage() + ")", e);
        }
        checkSampleCount(samples, limits);
        Decoded.Builder out = Decoded.builder();
        Map<String, Boolean> skipByName = new HashMap<>(); // a request repeats a few dozen names thousands of times
        for (SeriesScan scan : scans) {
            String name = scan.name;
            if (name != null && skipByName.computeIfAbsent(name, n -> PromNames.isValidMetricName(n)
                    && n.length() <= limits.maxLabelValueBytes() && !keep.keep(n))) {
                out.skip(scan.fresh);
                continue;
            }
            try {
                series(TimeSeries.parseFrom(CodedInputStream.newInstance(bytes, scan.offset, scan.length)), families, limits, out);
            } catch (IOException e) {
                throw new BadPayloadException("remote_write: invalid WriteRequest protobuf (" + e.getMessage() + ")", e);
            }
        }
        return out.build();
    }

    /**
     * What a scan of one encoded TimeSeries found without decoding it: where it is, its {@code __name__} (null when it
     * has none or several), and how many samples it holds, stale markers included and not.
     */
    private record SeriesScan(int offset, int length, String name, long samples, long fresh) {
        private static final byte[] NAME = "__name__".getBytes(StandardCharsets.UTF_8);
        private static final int FIELD_1_BYTES = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
        private static final int FIELD_2_BYTES = 2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
        private static final int FIELD_1_FIXED64 = 1 << 3 | WireFormat.WIRETYPE_FIXED64;

        static SeriesScan of(byte[] bytes, int offset, int length) throws IOException {
            CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
            String name = null;
            int names = 0;
            long samples = 0;
            long fresh = 0;
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                int field = WireFormat.getTagFieldNumber(tag);
                if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED || (field != 1 && field != 2)) {
                    if (!in.skipField(tag)) {
                        break;
                    }
                    continue;
                }
                int limit = in.pushLimit(in.readRawVarint32());
                if (field == 1) {
                    boolean isName = false;
                    int valueAt = -1;
                    int valueLength = 0;
                    while (!in.isAtEnd()) {
                        int t = in.readTag();
                        if (t == FIELD_1_BYTES || t == FIELD_2_BYTES) {
                            int n = in.readRawVarint32();
                            if (n < 0 || n > in.getBytesUntilLimit()) {
                                throw new InvalidProtocolBufferException("a length runs past the end of its message");
                            }
                            int at = offset + in.getTotalBytesRead();
                            if (t == FIELD_1_BYTES) {
                                isName = n == NAME.length && java.util.Arrays.equals(bytes, at, at + n, NAME, 0, n);
                            } else {
                                valueAt = at;
                                valueLength = n;
                            }
                            in.skipRawBytes(n);
                        } else if (!in.skipField(t)) {
                            break;
                        }
                    }
                    if (isName) {
                        names++;
                        // only the name becomes a string; one that is not ASCII (so invalid) is left to the full decode
                        name = valueAt < 0 ? "" : ascii(bytes, valueAt, valueLength)
                                ? new String(bytes, valueAt, valueLength, StandardCharsets.ISO_8859_1) : null;
                    }
                } else {
                    double value = 0;
                    while (!in.isAtEnd()) {
                        int t = in.readTag();
                        if (t == FIELD_1_FIXED64) {
                            value = in.readDouble();
                        } else if (!in.skipField(t)) {
                            break;
                        }
                    }
                    samples++;
                    if (Double.doubleToRawLongBits(value) != STALE_NAN_BITS) {
                        fresh++;
                    }
                }
                in.popLimit(limit);
            }
            return new SeriesScan(offset, length, names == 1 ? name : null, samples, fresh);
        }

        private static boolean ascii(byte[] bytes, int from, int length) {
            for (int i = from; i < from + length; i++) {
                if (bytes[i] < 0) {
                    return false;
                }
            }
            return true;
        }
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
