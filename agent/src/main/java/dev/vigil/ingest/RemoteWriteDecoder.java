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
import java.util.Arrays;
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
    /** The largest uncompressed request a receiving thread keeps an array for (remote_write senders batch ~100 KB). */
    private static final int SCRATCH_MAX_BYTES = 4 << 20;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[64 << 10]);

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
        byte[] bytes = scratch(body, limits.maxDecodedBytes());
        int length = uncompress(body, bytes);
        if (keep == MetricFilter.ALL) {
            return decodeAll(parse(bytes, length), limits);
        }
        return decodeKept(bytes, length, limits, keep);
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

    /** Decodes the first {@code size} bytes of {@code bytes}. */
    private static Decoded decodeKept(byte[] bytes, int size, IngestLimits limits, MetricFilter keep) throws BadPayloadException {
        int[] kept = new int[32]; // offset, length of each series to decode: the few a rule reads
        int keptCount = 0;
        long skippedFresh = 0;
        Map<String, MetricMetadata.MetricType> families = new HashMap<>();
        long samples = 0;
        SeriesScan scan = new SeriesScan(new SeriesNames(limits, keep));
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes, 0, size);
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                int field = WireFormat.getTagFieldNumber(tag);
                boolean delimited = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
                if (field == 1 && delimited) {
                    int length = in.readRawVarint32();
                    if (length < 0 || length > size - in.getTotalBytesRead()) {
                        throw new InvalidProtocolBufferException("a length runs past the end of its message");
                    }
                    int offset = in.getTotalBytesRead();
                    int limit = in.pushLimit(length);
                    scan.read(in, bytes);
                    in.skipRawBytes(in.getBytesUntilLimit()); // what a scan stopped short of (an end-group tag)
                    in.popLimit(limit);
                    samples += scan.samples;
                    if (scan.skip) {
                        skippedFresh += scan.fresh;
                    } else {
                        if (keptCount + 2 > kept.length) {
                            kept = Arrays.copyOf(kept, kept.length * 2);
                        }
                        kept[keptCount++] = offset;
                        kept[keptCount++] = length;
                    }
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
        out.skip(skippedFresh);
        for (int i = 0; i < keptCount; i += 2) {
            try {
                series(TimeSeries.parseFrom(CodedInputStream.newInstance(bytes, kept[i], kept[i + 1])), families, limits, out);
            } catch (IOException e) {
                throw new BadPayloadException("remote_write: invalid WriteRequest protobuf (" + e.getMessage() + ")", e);
            }
        }
        return out.build();
    }

    /**
     * Reads one encoded TimeSeries without decoding it: its {@code __name__}, whether the filter skips it, and how many
     * samples it holds, stale markers included and not. One per request, reused for each series: at 100,000 series a
     * request, most of them skipped, an object per series was most of what the receivers allocated.
     */
    private static final class SeriesScan {
        private static final byte[] NAME = "__name__".getBytes(StandardCharsets.UTF_8);
        private static final int FIELD_1_BYTES = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
        private static final int FIELD_2_BYTES = 2 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
        private static final int FIELD_1_FIXED64 = 1 << 3 | WireFormat.WIRETYPE_FIXED64;

        private final SeriesNames names;
        /** Skipped: it has exactly one valid name, which the filter does not keep. Otherwise it is decoded in full. */
        boolean skip;
        long samples;
        long fresh;

        SeriesScan(SeriesNames names) {
            this.names = names;
        }

        /** Reads the series {@code in} is limited to; its offsets are those of {@code bytes}. */
        void read(CodedInputStream in, byte[] bytes) throws IOException {
            int nameAt = -1;
            int nameLength = 0;
            int namesSeen = 0;
            samples = 0;
            fresh = 0;
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
                            int at = in.getTotalBytesRead();
                            if (t == FIELD_1_BYTES) {
                                isName = n == NAME.length && Arrays.equals(bytes, at, at + n, NAME, 0, n);
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
                        namesSeen++;
                        nameAt = valueAt;
                        nameLength = valueAt < 0 ? 0 : valueLength;
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
            // no name, or several: the full decode refuses it under its reason
            skip = namesSeen == 1 && nameAt >= 0 && names.skip(bytes, nameAt, nameLength);
        }
    }

    /**
     * Whether the filter skips a metric name, looked up by the name's bytes in the request: a request repeats a few
     * dozen names thousands of times, and a name met again costs neither a string nor a filter call. For one request.
     */
    private static final class SeriesNames {
        private final IngestLimits limits;
        private final MetricFilter keep;
        private byte[][] keys = new byte[64][];
        private boolean[] skips = new boolean[64];
        private int size;

        SeriesNames(IngestLimits limits, MetricFilter keep) {
            this.limits = limits;
            this.keep = keep;
        }

        boolean skip(byte[] bytes, int at, int length) {
            int mask = keys.length - 1;
            for (int i = hash(bytes, at, length) & mask; ; i = (i + 1) & mask) {
                byte[] key = keys[i];
                if (key == null) {
                    return add(i, bytes, at, length);
                }
                if (Arrays.equals(key, 0, key.length, bytes, at, at + length)) {
                    return skips[i];
                }
            }
        }

        private boolean add(int slot, byte[] bytes, int at, int length) {
            byte[] key = Arrays.copyOfRange(bytes, at, at + length);
            // only an ASCII name can be valid; any other is left to the full decode, which refuses it
            boolean skip = ascii(key) && skipped(new String(key, StandardCharsets.ISO_8859_1));
            keys[slot] = key;
            skips[slot] = skip;
            if (++size * 2 > keys.length) {
                grow();
            }
            return skip;
        }

        private boolean skipped(String name) {
            return PromNames.isValidMetricName(name) && name.length() <= limits.maxLabelValueBytes() && !keep.keep(name);
        }

        private void grow() {
            byte[][] oldKeys = keys;
            boolean[] oldSkips = skips;
            keys = new byte[oldKeys.length * 2][];
            skips = new boolean[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != null) {
                    int i = hash(oldKeys[j], 0, oldKeys[j].length) & mask;
                    while (keys[i] != null) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    skips[i] = oldSkips[j];
                }
            }
        }

        private static int hash(byte[] bytes, int at, int length) {
            int h = 1;
            for (int i = at; i < at + length; i++) {
                h = 31 * h + bytes[i];
            }
            return h * 0x9E3779B9 >>> 7; // spread into the low bits the table indexes by
        }

        private static boolean ascii(byte[] bytes) {
            for (byte b : bytes) {
                if (b < 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Where {@code body} is uncompressed: this thread's scratch array when the body is small enough, else an array of
     * its own. A request's uncompressed bytes are read only while it is decoded (protobuf copies every string and
     * byte field out of them), so the next request on the thread reuses them; a new array per request was the
     * receivers' largest allocation.
     */
    private static byte[] scratch(byte[] body, int maxDecodedBytes) throws BadPayloadException {
        int declared;
        try {
            declared = Snappy.uncompressedLength(body); // negative when the header declares 2 GiB or more
            if (declared < 0 || declared > maxDecodedBytes) {
                throw new PayloadTooLargeException("remote_write: body declares "
                        + Integer.toUnsignedString(declared) + " bytes uncompressed, the limit is " + maxDecodedBytes);
            }
            if (!Snappy.isValidCompressedBuffer(body)) {
                throw new BadPayloadException("remote_write: body is not valid snappy block format");
            }
        } catch (IOException e) {
            throw new BadPayloadException("remote_write: body is not valid snappy block format (" + e.getMessage() + ")", e);
        }
        if (declared > SCRATCH_MAX_BYTES) {
            return new byte[declared]; // a rare large request is not kept for the thread's lifetime
        }
        byte[] mine = SCRATCH.get();
        if (mine.length < declared) {
            mine = new byte[Math.max(declared, Math.min(SCRATCH_MAX_BYTES, mine.length * 2))];
            SCRATCH.set(mine);
        }
        return mine;
    }

    /** Uncompresses {@code body} (checked by {@link #scratch}) into {@code into}; returns how many bytes it holds. */
    private static int uncompress(byte[] body, byte[] into) throws BadPayloadException {
        try {
            return Snappy.uncompress(body, 0, body.length, into, 0);
        } catch (IOException e) {
            throw new BadPayloadException("remote_write: body is not valid snappy block format (" + e.getMessage() + ")", e);
        }
    }

    private static WriteRequest parse(byte[] bytes, int size) throws BadPayloadException {
        try {
            return WriteRequest.parseFrom(CodedInputStream.newInstance(bytes, 0, size));
        } catch (IOException e) {
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
