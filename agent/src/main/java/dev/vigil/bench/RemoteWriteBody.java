package dev.vigil.bench;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Builds Prometheus remote_write 1.0 bodies (a snappy-compressed {@code WriteRequest}) for slices of a {@link
 * SeriesSet}, one sample per series, as a Prometheus shard sends them. Each series' labels are encoded once up front,
 * so the generator costs little next to the receiver it measures. Immutable after construction; thread-safe.
 */
public final class RemoteWriteBody {
    private static final int LABELS = 1;
    private static final int SAMPLES = 2;
    private static final int TIMESERIES = 1;

    private final SeriesSet series;
    private final byte[][] labelFields;

    public RemoteWriteBody(SeriesSet series) {
        this.series = series;
        this.labelFields = new byte[series.size()][];
        for (int i = 0; i < series.size(); i++) {
            labelFields[i] = labelFields(series.name(i), series.labels(i));
        }
    }

    public SeriesSet series() {
        return series;
    }

    /** One series to write: its encoded label fields ({@link #labelFields}) and samples, oldest first. */
    record Series(byte[] labelFields, double[] values, long[] times) {
    }

    /** The uncompressed {@code WriteRequest} for series {@code [from, to)}, all at {@code timeMillis}. */
    public byte[] encode(int from, int to, long timeMillis) {
        if (from < 0 || to > series.size() || from >= to) {
            throw new IllegalArgumentException("series slice [" + from + ", " + to + ") is not within 0.." + series.size());
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream((to - from) * 96);
            CodedOutputStream out = CodedOutputStream.newInstance(bytes, 8192);
            double[] value = new double[1];
            long[] time = {timeMillis};
            for (int i = from; i < to; i++) {
                value[0] = series.value(i);
                timeSeries(out, labelFields[i], value, time);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body as sent: {@link #encode} compressed with snappy's block format. */
    public byte[] body(int from, int to, long timeMillis) {
        return compressed(encode(from, to, timeMillis));
    }

    /** An uncompressed {@code WriteRequest} holding {@code list}. */
    static byte[] write(List<Series> list) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            for (Series s : list) {
                timeSeries(out, s.labelFields(), s.values(), s.times());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] compressed(byte[] writeRequest) {
        try {
            return Snappy.compress(writeRequest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void timeSeries(CodedOutputStream out, byte[] labels, double[] values, long[] times) throws IOException {
        int size = labels.length;
        for (int k = 0; k < values.length; k++) {
            int sample = sampleSize(times[k]);
            size += CodedOutputStream.computeTagSize(SAMPLES) + CodedOutputStream.computeUInt32SizeNoTag(sample) + sample;
        }
        out.writeTag(TIMESERIES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(size);
        out.writeRawBytes(labels);
        for (int k = 0; k < values.length; k++) {
            out.writeTag(SAMPLES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(sampleSize(times[k]));
            out.writeDouble(1, values[k]);
            out.writeInt64(2, times[k]);
        }
    }

    private static int sampleSize(long time) {
        return CodedOutputStream.computeDoubleSize(1, 1) + CodedOutputStream.computeInt64Size(2, time);
    }

    /** The repeated {@code labels} fields of one TimeSeries: {@code __name__} first, then the rest sorted by name. */
    static byte[] labelFields(String name, List<String[]> labels) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            label(out, "__name__", name);
            for (String[] l : labels) {
                label(out, l[0], l[1]);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void label(CodedOutputStream out, String name, String value) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        int size = CodedOutputStream.computeByteArraySize(1, n) + CodedOutputStream.computeByteArraySize(2, v);
        out.writeTag(LABELS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(size);
        out.writeByteArray(1, n);
        out.writeByteArray(2, v);
    }
}
