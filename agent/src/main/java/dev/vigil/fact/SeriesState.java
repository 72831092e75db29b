package dev.vigil.fact;

import java.util.Arrays;

/**
 * The condensed state of one metric series: its recent samples in a bounded buffer and the window statistics rules
 * ask for (held-for durations, min/max, counter increases, a robust trend).
 *
 * <p>Updated in place by the condense stage and read by rules; confined to the engine thread, not thread-safe.
 * Window queries end at the newest sample ({@link #time()}), so they change only when the series does.
 *
 * <p>Implementation note: samples are packed, as Gorilla (Facebook's time-series store) packs them, because a daemon
 * keeps up to 200,000 of these and 16 bytes a sample made them the bulk of its heap. The first sample is kept whole;
 * each later one is one header byte when its interval changed by at most 7 ms and its value repeated or (an integer)
 * moved by at most 4; a larger change of interval adds a varint, and a larger change of value whichever is shorter: the
 * non-zero middle bytes of its XOR with the previous value, or (both values integers) the difference as a varint.
 * Values stay exact doubles. Queries unpack into a per-thread scratch buffer, reused while the same series is queried again
 * unchanged (rules read one series several times in a row).
 */
public final class SeriesState {
    private static final byte[] NO_BYTES = new byte[0];
    // An entry's header byte: the high nibble says how the interval changed, the low one how the value did.
    /** Interval nibble: 0, unchanged; 1..14, a change of -7..-1 or 1..7 ms; this one, a zigzag varint change follows. */
    private static final int INTERVAL_FOLLOWS = 15;
    private static final int SMALL_CHANGE = 7;
    /** Value nibble: 0, repeated; 1..8, an integer step of -4..-1 or 1..4; this one, a zigzag varint step follows. */
    private static final int STEP_FOLLOWS = 9;
    private static final int SMALL_STEP = 4;
    /** Value nibble: an XOR with the previous value, a shape byte (8 × leading + trailing zero bytes) and its middle bytes follow. */
    private static final int XOR_FOLLOWS = 10;
    /** Value nibbles 11..15: an XOR of one of these shapes (leading, trailing zero bytes), only its middle bytes follow. */
    private static final int[] XOR_SHAPES = {1 * 8, 2 * 8, 0, 1 * 8 + 4, 2 * 8 + 4};
    private static final int FIRST_SHAPE = 11;
    /** Integers up to this magnitude are exact doubles, and so is every sum of one and a step between two of them. */
    private static final double EXACT_INTEGERS = 0x1p53;
    /** What the value part of an entry holds (Unpacked.entry[2]). */
    private static final long SAME = 0;
    private static final long XOR = 1;
    private static final long STEP = 2;
    /** The longest entry: a header, a 64-bit varint, a shape byte and 8 value bytes. */
    private static final int MAX_ENTRY = 1 + 10 + 1 + 8;
    /** Series a thread keeps unpacked at once: rules compare two or three series (a ratio, a pool and its max). */
    private static final int SCRATCH_SLOTS = 4;
    private static final ThreadLocal<Unpacked[]> SCRATCH = ThreadLocal.withInitial(() -> {
        Unpacked[] slots = new Unpacked[SCRATCH_SLOTS];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Unpacked();
        }
        return slots;
    });

    private final String name;
    private final Labels labels;
    private final String service;
    private final String host;
    private final Bounds bounds;

    // sample 0 whole; samples 1..size-1 as entries in `packed`, each against the sample before it
    private long firstTime;
    private double firstValue;
    private byte[] packed = NO_BYTES;
    private int packedLength;
    private int size;
    // the newest sample whole, its interval (0 while it is the only one), and where its entry starts, so a value
    // replaced at the same timestamp can re-pack it (the sample before it is recovered from the entry)
    private long lastTime;
    private double lastValue;
    private long lastInterval;
    private int lastEntryOffset;
    private int version;
    private long firstSeen;

    private int trendVersion = -1;
    private int trendSeconds;
    private Trend trend = Trend.NONE;

    public SeriesState(String name, Labels labels, String service, String host, boolean counter,
                       long retentionMillis, int capacity) {
        if (capacity < 4) {
            throw new IllegalArgumentException("capacity must be at least 4, was " + capacity);
        }
        this.name = name;
        this.labels = labels;
        this.service = service == null ? "" : service;
        this.host = host == null ? "" : host;
        this.bounds = Bounds.of(counter, retentionMillis, capacity);
    }

    /** Appends a sample; an older or equal timestamp replaces nothing and is ignored. Condense stage only. */
    public boolean add(long timeMillis, double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (size > 0 && timeMillis <= lastTime) {
            if (timeMillis == lastTime) {
                replaceLast(value);
                return true;
            }
            return false;
        }
        version++;
        if (size == 0) {
            firstSeen = timeMillis;
            firstTime = timeMillis;
            firstValue = value;
            lastTime = timeMillis;
            lastValue = value;
            lastInterval = 0;
            size = 1;
            return true;
        }
        dropOlderThan(timeMillis - bounds.retentionMillis);
        if (size >= bounds.capacity) {
            thinOldestHalf();
        }
        append(timeMillis, value);
        return true;
    }

    private void replaceLast(double value) {
        version++;
        if (size == 1) {
            lastValue = value;
            firstValue = value;
            return;
        }
        long[] entry = SCRATCH.get()[0].entry;
        unpack(packed, lastEntryOffset, entry);
        long previousBits = older(bits(lastValue), entry);
        lastValue = value;
        packedLength = lastEntryOffset;
        packedLength = pack(entry[0], previousBits, bits(value)); // the same interval change, the new value
    }

    private void append(long timeMillis, double value) {
        long interval = timeMillis - lastTime;
        lastEntryOffset = packedLength;
        packedLength = pack(interval - lastInterval, bits(lastValue), bits(value));
        lastTime = timeMillis;
        lastValue = value;
        lastInterval = interval;
        size++;
    }

    private void dropOlderThan(long cutoff) {
        // keep one sample at or before the cutoff so a window that starts there is still covered
        Unpacked scratch = SCRATCH.get()[0];
        long[] entry = scratch.entry;
        int drop = 0;
        int pos = 0;
        long time = firstTime;
        long interval = 0;
        long valueBits = bits(firstValue);
        while (drop + 1 < size) {
            int next = unpack(packed, pos, entry);
            long nextInterval = interval + entry[0];
            if (time + nextInterval > cutoff) {
                break;
            }
            drop++;
            pos = next;
            time += nextInterval;
            interval = nextInterval;
            valueBits = newer(valueBits, entry);
        }
        if (drop == 0) {
            return;
        }
        firstTime = time;
        firstValue = Double.longBitsToDouble(valueBits);
        size -= drop;
        if (size == 1) {
            packedLength = 0;
            lastInterval = 0;
            return;
        }
        // the entry after the new first sample holds its interval as a change from `interval`: re-pack it as a change
        // from 0, the interval before a first sample; the entries after it are unchanged
        int rest = unpack(packed, pos, entry);
        long firstEntryChange = interval + entry[0];
        int headLength = pack(scratch.entryBytes, 0, firstEntryChange, valueBits, newer(valueBits, entry));
        int tail = packedLength - rest;
        ensure(headLength + tail);
        System.arraycopy(packed, rest, packed, headLength, tail);
        System.arraycopy(scratch.entryBytes, 0, packed, 0, headLength);
        packedLength = headLength + tail;
        if (size == 2) {
            lastEntryOffset = 0;
        } else {
            lastEntryOffset += headLength - rest;
        }
    }

    /** Halves the resolution of the older half of the buffer, so long windows stay covered within the capacity. */
    private void thinOldestHalf() {
        Unpacked u = unpacked();
        long[] times = u.times;
        double[] values = u.values;
        int n = u.size;
        int half = n / 2;
        int w = 0;
        for (int r = 0; r < half; r += 2) {
            times[w] = times[r];
            values[w] = values[r];
            w++;
        }
        for (int r = half; r < n; r++) {
            times[w] = times[r];
            values[w] = values[r];
            w++;
        }
        u.owner = null; // the scratch now holds the thinned samples, not this series' packed ones
        // a full buffer is what the series needs from now on: the growth slack beyond it is given back
        int full = packedLength + packedLength / 32 + 8;
        if (packed.length > full) {
            packed = Arrays.copyOf(packed, full);
        }
        packedLength = 0;
        firstTime = times[0];
        firstValue = values[0];
        lastTime = times[0];
        lastValue = values[0];
        lastInterval = 0;
        size = 1;
        for (int i = 1; i < w; i++) {
            append(times[i], values[i]);
        }
    }

    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    /** Packs one entry at the end of the buffer; returns the new length. */
    private int pack(long intervalChange, long previousBits, long valueBits) {
        // packed aside first, so the buffer grows by what the entry takes, not by the longest an entry can be
        byte[] entry = SCRATCH.get()[0].entryBytes;
        int length = pack(entry, 0, intervalChange, previousBits, valueBits);
        ensure(packedLength + length);
        System.arraycopy(entry, 0, packed, packedLength, length);
        return packedLength + length;
    }

    private void ensure(int length) {
        if (length > packed.length) {
            // grow by a sixteenth: a series at its capacity or retention stops growing, so little slack is left behind
            packed = Arrays.copyOf(packed, Math.max(length, packed.length + packed.length / 16 + 8));
        }
    }

    /**
     * Writes an entry at {@code pos}: a header (the interval nibble, the value nibble), a varint change of interval
     * when the interval nibble says one follows, then the value part its nibble says follows: nothing (repeated, or an
     * integer step of ±1..±4), a varint step, or the middle bytes of the XOR with the previous value (after a shape
     * byte unless the shape is one of {@link #XOR_SHAPES}); whichever is shortest. Returns the position after it.
     */
    private static int pack(byte[] buf, int pos, long intervalChange, long previousBits, long valueBits) {
        long xor = previousBits ^ valueBits;
        int valueCode = 0;
        int shape = 0;
        long step = 0;
        if (xor != 0) {
            int lead = Long.numberOfLeadingZeros(xor) >>> 3;
            shape = lead * 8 + (Long.numberOfTrailingZeros(xor) >>> 3);
            valueCode = XOR_FOLLOWS;
            int cost = 1 + middleBytes(shape);
            for (int k = 0; k < XOR_SHAPES.length; k++) {
                if (XOR_SHAPES[k] == shape) {
                    valueCode = FIRST_SHAPE + k;
                    cost--;
                }
            }
            double previous = Double.longBitsToDouble(previousBits);
            double value = Double.longBitsToDouble(valueBits);
            if (exactInteger(previous, previousBits) && exactInteger(value, valueBits)) {
                step = (long) value - (long) previous; // never 0: equal integers have equal bits
                if (step >= -SMALL_STEP && step <= SMALL_STEP) {
                    valueCode = (int) step + (step < 0 ? SMALL_STEP + 1 : SMALL_STEP);
                } else if (varintLength(zigzag(step)) < cost) {
                    valueCode = STEP_FOLLOWS;
                }
            }
        }
        int intervalCode = 0;
        if (intervalChange != 0) {
            intervalCode = intervalChange >= -SMALL_CHANGE && intervalChange <= SMALL_CHANGE
                    ? (int) intervalChange + (intervalChange < 0 ? SMALL_CHANGE + 1 : SMALL_CHANGE)
                    : INTERVAL_FOLLOWS;
        }
        buf[pos++] = (byte) (intervalCode << 4 | valueCode);
        if (intervalCode == INTERVAL_FOLLOWS) {
            pos = putVarint(buf, pos, zigzag(intervalChange));
        }
        if (valueCode == STEP_FOLLOWS) {
            pos = putVarint(buf, pos, zigzag(step));
        } else if (valueCode >= XOR_FOLLOWS) {
            if (valueCode == XOR_FOLLOWS) {
                buf[pos++] = (byte) shape;
            }
            int lead = shape >>> 3;
            for (int i = 0, n = middleBytes(shape); i < n; i++) {
                buf[pos++] = (byte) (xor >>> (8 * (7 - lead - i)));
            }
        }
        return pos;
    }

    /** The bytes of an XOR between its leading and trailing zero bytes, given its shape (8 × leading + trailing). */
    private static int middleBytes(int shape) {
        return 8 - (shape >>> 3) - (shape & 7);
    }

    /** An integral double that a long holds exactly, and sums with other such steps too; not -0.0 (its bits differ). */
    private static boolean exactInteger(double v, long bits) {
        return Math.abs(v) <= EXACT_INTEGERS && bits((long) v) == bits;
    }

    private static long bits(long integer) {
        return Double.doubleToRawLongBits((double) integer);
    }

    private static long zigzag(long n) {
        return (n << 1) ^ (n >> 63);
    }

    private static int varintLength(long z) {
        return Math.max(1, (64 - Long.numberOfLeadingZeros(z) + 6) / 7);
    }

    private static int putVarint(byte[] buf, int pos, long z) {
        while ((z & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        buf[pos++] = (byte) z;
        return pos;
    }

    /**
     * Reads the entry at {@code pos} into {@code out}: the interval change, the value part (an XOR or a step) and what
     * it is ({@link #SAME}, {@link #XOR}, {@link #STEP}). Returns the position after the entry.
     */
    private static int unpack(byte[] buf, int pos, long[] out) {
        int header = buf[pos++] & 0xFF;
        int intervalCode = header >>> 4;
        int valueCode = header & 0xF;
        long change = 0;
        if (intervalCode == INTERVAL_FOLLOWS) {
            pos = readZigzag(buf, pos, out);
            change = out[0];
        } else if (intervalCode != 0) {
            change = intervalCode <= SMALL_CHANGE ? intervalCode - SMALL_CHANGE - 1 : intervalCode - SMALL_CHANGE;
        }
        long part = 0;
        long kind = SAME;
        if (valueCode == STEP_FOLLOWS) {
            pos = readZigzag(buf, pos, out);
            part = out[0];
            kind = STEP;
        } else if (valueCode >= XOR_FOLLOWS) {
            int shape = valueCode == XOR_FOLLOWS ? buf[pos++] & 0xFF : XOR_SHAPES[valueCode - FIRST_SHAPE];
            for (int i = 0, n = middleBytes(shape); i < n; i++) {
                part = (part << 8) | (buf[pos++] & 0xFF);
            }
            part <<= 8 * (shape & 7);
            kind = XOR;
        } else if (valueCode != 0) {
            part = valueCode <= SMALL_STEP ? valueCode - SMALL_STEP - 1 : valueCode - SMALL_STEP;
            kind = STEP;
        }
        out[0] = change;
        out[1] = part;
        out[2] = kind;
        return pos;
    }

    /** Reads the zigzag varint at {@code pos} into {@code out[0]}; returns the position after it. */
    private static int readZigzag(byte[] buf, int pos, long[] out) {
        long z = 0;
        int shift = 0;
        int b;
        do {
            b = buf[pos++];
            z |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        out[0] = (z >>> 1) ^ -(z & 1);
        return pos;
    }

    /** The value bits of an entry's sample, from those of the sample before it. */
    private static long newer(long previousBits, long[] entry) {
        if (entry[2] == STEP) {
            return bits((long) Double.longBitsToDouble(previousBits) + entry[1]);
        }
        return previousBits ^ entry[1]; // an XOR, or 0 for a repeated value
    }

    /** The value bits of the sample before an entry's, from those of the entry's sample. */
    private static long older(long valueBits, long[] entry) {
        if (entry[2] == STEP) {
            return bits((long) Double.longBitsToDouble(valueBits) - entry[1]);
        }
        return valueBits ^ entry[1];
    }

    /**
     * This series' samples, unpacked into one of the calling thread's scratch buffers: the one that holds this series
     * unchanged when there is one, else the least recently used.
     */
    private Unpacked unpacked() {
        Unpacked[] slots = SCRATCH.get();
        Unpacked oldest = slots[0];
        for (Unpacked u : slots) {
            if (u.owner == this && u.version == version) {
                u.used = ++slots[0].clock[0];
                return u;
            }
            if (u.used < oldest.used) {
                oldest = u;
            }
        }
        oldest.unpack(this);
        oldest.used = ++slots[0].clock[0];
        return oldest;
    }

    /** A thread's buffer of unpacked samples, of the series it unpacked last. */
    private static final class Unpacked {
        final long[] entry = new long[3];
        final byte[] entryBytes = new byte[MAX_ENTRY];
        long[] times = new long[16];
        double[] values = new double[16];
        int size;
        SeriesState owner;
        int version;
        long used; // when last handed out, on the thread's clock (kept in slot 0's clock)
        final long[] clock = new long[1];

        void unpack(SeriesState s) {
            int n = s.size;
            if (times.length < n) {
                times = new long[Math.max(n, times.length * 2)];
                values = new double[times.length];
            }
            if (n > 0) {
                times[0] = s.firstTime;
                values[0] = s.firstValue;
            }
            byte[] buf = s.packed;
            long time = s.firstTime;
            long interval = 0;
            long valueBits = bits(s.firstValue);
            int pos = 0;
            for (int k = 1; k < n; k++) {
                pos = SeriesState.unpack(buf, pos, entry);
                interval += entry[0];
                time += interval;
                valueBits = newer(valueBits, entry);
                times[k] = time;
                values[k] = Double.longBitsToDouble(valueBits);
            }
            size = n;
            owner = s;
            version = s.version;
        }
    }

    public String name() {
        return name;
    }

    public Labels labels() {
        return labels;
    }

    /** The canonical key of the labels, to join series of one pool, one filesystem, one pod. */
    public String seriesKey() {
        return labels.key();
    }

    public String label(String label) {
        return labels.getOrDefault(label, "");
    }

    public String service() {
        return service;
    }

    public String host() {
        return host;
    }

    public boolean isCounter() {
        return bounds.counter;
    }

    public int samples() {
        return size;
    }

    /** Bytes the packed samples take (all but the first), for tests and benchmarks of the packing. */
    int packedBytes() {
        return packedLength;
    }

    /** The newest value (NaN before the first sample). */
    public double value() {
        return size == 0 ? Double.NaN : lastValue;
    }

    /** The time of the newest sample, epoch ms. */
    public long time() {
        return size == 0 ? Long.MIN_VALUE : lastTime;
    }

    public long firstSeen() {
        return firstSeen;
    }

    /** Seconds since the newest sample at {@code now}. */
    public double ageSeconds(Now now) {
        return (now.millis() - time()) / 1000.0;
    }

    /** The target this series belongs to: service and host, plus the given labels of its own. */
    public Target target(String... extraLabels) {
        Target t = Target.serviceHost(service, host);
        for (String l : extraLabels) {
            t = t.with(l, labels.get(l));
        }
        return t;
    }

    /** True when the buffer reaches back at least {@code seconds} before the newest sample. */
    public boolean covers(long seconds) {
        return size > 0 && firstTime <= time() - seconds * 1000L;
    }

    private int firstIndexWithin(Unpacked u, long seconds) {
        long[] times = u.times;
        long from = time() - seconds * 1000L;
        int i = Math.max(0, u.size - 1); // 0 for an empty series: no sample in any window
        while (i > 0 && times[i - 1] >= from) {
            i--;
        }
        return i;
    }

    public double min(long seconds) {
        Unpacked u = unpacked();
        double m = Double.POSITIVE_INFINITY;
        for (int i = firstIndexWithin(u, seconds); i < u.size; i++) {
            m = Math.min(m, u.values[i]);
        }
        return size == 0 ? Double.NaN : m;
    }

    public double max(long seconds) {
        Unpacked u = unpacked();
        double m = Double.NEGATIVE_INFINITY;
        for (int i = firstIndexWithin(u, seconds); i < u.size; i++) {
            m = Math.max(m, u.values[i]);
        }
        return size == 0 ? Double.NaN : m;
    }

    public double avg(long seconds) {
        Unpacked u = unpacked();
        double s = 0;
        int start = firstIndexWithin(u, seconds);
        for (int i = start; i < u.size; i++) {
            s += u.values[i];
        }
        return u.size == 0 ? Double.NaN : s / (u.size - start);
    }

    /** How long, in seconds, the newest samples have been at least {@code threshold} without a break. */
    public double secondsAtLeast(double threshold) {
        return heldSeconds(threshold, true, true);
    }

    /** How long, in seconds, the newest samples have been strictly above {@code threshold}. */
    public double secondsAbove(double threshold) {
        return heldSeconds(threshold, true, false);
    }

    /** How long, in seconds, the newest samples have been strictly below {@code threshold}. */
    public double secondsBelow(double threshold) {
        return heldSeconds(threshold, false, false);
    }

    /** How long, in seconds, the newest samples have been at most {@code threshold}. */
    public double secondsAtMost(double threshold) {
        return heldSeconds(threshold, false, true);
    }

    public boolean atLeastFor(double threshold, long seconds) {
        return secondsAtLeast(threshold) >= seconds;
    }

    public boolean aboveFor(double threshold, long seconds) {
        return secondsAbove(threshold) >= seconds;
    }

    public boolean belowFor(double threshold, long seconds) {
        return secondsBelow(threshold) >= seconds;
    }

    public boolean atMostFor(double threshold, long seconds) {
        return secondsAtMost(threshold) >= seconds;
    }

    private double heldSeconds(double threshold, boolean upward, boolean inclusive) {
        Unpacked u = unpacked();
        int i = u.size - 1;
        while (i >= 0 && holds(u.values[i], threshold, upward, inclusive)) {
            i--;
        }
        if (i == u.size - 1) {
            return 0;
        }
        return (time() - u.times[i + 1]) / 1000.0;
    }

    private static boolean holds(double v, double threshold, boolean upward, boolean inclusive) {
        if (upward) {
            return inclusive ? v >= threshold : v > threshold;
        }
        return inclusive ? v <= threshold : v < threshold;
    }

    /** The value of the newest sample at least {@code secondsAgo} before the newest one; NaN when there is none. */
    public double valueAt(long secondsAgo) {
        long t = time() - secondsAgo * 1000L;
        Unpacked u = unpacked();
        for (int i = u.size - 1; i >= 0; i--) {
            if (u.times[i] <= t) {
                return u.values[i];
            }
        }
        return Double.NaN;
    }

    /** Per-second counter rate between two points in the past ({@code fromSecondsAgo} > {@code toSecondsAgo}). */
    public double rateBetween(long fromSecondsAgo, long toSecondsAgo) {
        if (fromSecondsAgo <= toSecondsAgo) {
            throw new IllegalArgumentException("from must be further back than to, were " + fromSecondsAgo + " and " + toSecondsAgo);
        }
        double inc = increaseBetween(time() - fromSecondsAgo * 1000L, time() - toSecondsAgo * 1000L);
        return inc / (fromSecondsAgo - toSecondsAgo);
    }

    /** Counter increase over the window, counting through resets as Prometheus does. */
    public double increase(long seconds) {
        return increaseBetween(time() - seconds * 1000L, time());
    }

    /** Counter increase between two instants, from the samples inside them. */
    public double increaseBetween(long fromMillis, long toMillis) {
        Unpacked u = unpacked();
        long[] times = u.times;
        double[] values = u.values;
        double inc = 0;
        boolean started = false;
        double prev = 0;
        for (int i = 0; i < u.size; i++) {
            if (times[i] < fromMillis) {
                continue;
            }
            if (times[i] > toMillis) {
                break;
            }
            if (started) {
                double d = values[i] - prev;
                inc += d >= 0 ? d : values[i];
            }
            prev = values[i];
            started = true;
        }
        return inc;
    }

    /** Per-second counter rate over the window (0 with fewer than two samples in it). */
    public double rate(long seconds) {
        Unpacked u = unpacked();
        int start = firstIndexWithin(u, seconds);
        if (u.size - start < 2) {
            return 0;
        }
        double span = (time() - u.times[start]) / 1000.0;
        return span <= 0 ? 0 : increase(seconds) / span;
    }

    /** Change in value over the window, newest minus oldest sample in it (for gauges). */
    public double delta(long seconds) {
        if (size == 0) {
            return 0;
        }
        Unpacked u = unpacked();
        return value() - u.values[firstIndexWithin(u, seconds)];
    }

    /** A robust (Theil–Sen) trend over the window; computed once per window and sample. */
    public Trend trend(long seconds) {
        if (version == trendVersion && seconds == trendSeconds) {
            return trend;
        }
        Unpacked u = unpacked();
        Trend fitted = fit(u, firstIndexWithin(u, seconds));
        if (seconds == (int) seconds) { // any window a rule names; a longer one is fitted each time, not cached
            trendVersion = version;
            trendSeconds = (int) seconds;
            trend = fitted;
        }
        return fitted;
    }

    private static Trend fit(Unpacked u, int start) {
        long[] times = u.times;
        double[] values = u.values;
        int size = u.size;
        int n = size - start;
        if (n < 3) {
            return Trend.NONE;
        }
        // Subsample to at most 64 points: O(n^2) pairwise slopes stay cheap on long windows.
        int step = Math.max(1, (n + 63) / 64);
        int m = (n + step - 1) / step;
        long[] t = new long[m];
        double[] v = new double[m];
        for (int k = 0; k < m; k++) {
            int idx = size - 1 - (m - 1 - k) * step;
            t[k] = times[idx];
            v[k] = values[idx];
        }
        double[] slopes = new double[m * (m - 1) / 2];
        int c = 0;
        for (int a = 0; a < m; a++) {
            for (int b = a + 1; b < m; b++) {
                double dt = (t[b] - t[a]) / 1000.0;
                if (dt > 0) {
                    slopes[c++] = (v[b] - v[a]) / dt;
                }
            }
        }
        if (c == 0) {
            return Trend.NONE;
        }
        Arrays.sort(slopes, 0, c);
        double slope = quantile(slopes, c, 0.5);
        double[] residuals = new double[m];
        long end = t[m - 1];
        for (int k = 0; k < m; k++) {
            residuals[k] = v[k] - slope * (t[k] - end) / 1000.0;
        }
        Arrays.sort(residuals);
        double level = quantile(residuals, m, 0.5);
        return new Trend(slope, quantile(slopes, c, 0.25), quantile(slopes, c, 0.75), level, m,
                (end - t[0]) / 1000.0);
    }

    private static double quantile(double[] sorted, int n, double q) {
        double pos = q * (n - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    @Override
    public String toString() {
        return name + labels + "=" + value() + "@" + time();
    }

    /**
     * What a series is and how much of it is kept, shared by every series of the same kind: the same few values in
     * each of 100,000 states cost 13 bytes each, a shared instance 4.
     */
    private record Bounds(boolean counter, long retentionMillis, int capacity) {
        private static final java.util.concurrent.ConcurrentMap<Bounds, Bounds> SHARED =
                new java.util.concurrent.ConcurrentHashMap<>();

        static Bounds of(boolean counter, long retentionMillis, int capacity) {
            Bounds b = new Bounds(counter, retentionMillis, capacity);
            Bounds shared = SHARED.putIfAbsent(b, b); // a daemon has two (counters, gauges); tests a few more
            return shared == null ? b : shared;
        }
    }
}
