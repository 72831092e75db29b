package dev.vigil.ingest;

import java.util.Arrays;

/**
 * Splits a syslog TCP stream into messages per RFC 6587, choosing the framing per frame by its first byte: a digit
 * starts octet counting ({@code LEN SP MSG}), anything else a message ended by LF. Holds at most one frame plus the
 * bytes last appended. Not thread-safe: one per connection.
 */
final class SyslogFramer {
    /** The stream cannot be framed any further; the connection must be closed. {@code reason} is the counted one. */
    static final class FramingException extends Exception {
        final String reason;

        FramingException(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }

    private static final int MAX_LENGTH_DIGITS = 10;

    private final int maxFrameBytes;
    private byte[] buf = new byte[8192];
    private int start;
    private int end;
    private int scanned; // where the search for LF resumes, so a slow line is not rescanned from its start

    SyslogFramer(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    void append(byte[] data) {
        if (end + data.length > buf.length) {
            int live = end - start;
            byte[] to = live + data.length > buf.length ? new byte[Math.max(buf.length * 2, live + data.length)] : buf;
            System.arraycopy(buf, start, to, 0, live);
            buf = to;
            scanned = Math.max(0, scanned - start);
            start = 0;
            end = live;
        }
        System.arraycopy(data, 0, buf, end, data.length);
        end += data.length;
    }

    /** True when bytes of an unfinished frame are held. */
    boolean hasPartialFrame() {
        return end > start;
    }

    /** The next complete message, or null until more bytes arrive. */
    byte[] next() throws FramingException {
        while (start < end && (buf[start] == '\n' || buf[start] == '\r')) {
            start++; // blank lines between LF-framed messages
        }
        if (start == end) {
            start = end = scanned = 0;
            return null;
        }
        return buf[start] >= '0' && buf[start] <= '9' ? octetCounted() : lineFramed();
    }

    private byte[] octetCounted() throws FramingException {
        long length = 0;
        int i = start;
        while (i < end && buf[i] >= '0' && buf[i] <= '9') {
            if (i - start == MAX_LENGTH_DIGITS) {
                throw new FramingException("frame_too_large", "octet count with more than " + MAX_LENGTH_DIGITS + " digits");
            }
            length = length * 10 + (buf[i++] - '0');
        }
        if (length > maxFrameBytes) {
            throw new FramingException("frame_too_large", "octet count " + length + " is over " + maxFrameBytes);
        }
        if (i == end) {
            return null;
        }
        if (buf[i] != ' ' || buf[start] == '0') {
            throw new FramingException("bad_frame", "an octet count must be a positive number followed by a space");
        }
        int from = i + 1;
        if (end - from < length) {
            return null;
        }
        byte[] frame = Arrays.copyOfRange(buf, from, from + (int) length);
        start = from + (int) length;
        scanned = start;
        return frame;
    }

    private byte[] lineFramed() throws FramingException {
        int i = Math.max(scanned, start);
        while (i < end && buf[i] != '\n') {
            i++;
        }
        if (i - start > maxFrameBytes) {
            throw new FramingException("frame_too_large", "a line of more than " + maxFrameBytes + " bytes");
        }
        if (i == end) {
            scanned = end;
            return null;
        }
        int to = i > start && buf[i - 1] == '\r' ? i - 1 : i;
        byte[] frame = Arrays.copyOfRange(buf, start, to);
        start = i + 1;
        scanned = start;
        return frame;
    }
}
