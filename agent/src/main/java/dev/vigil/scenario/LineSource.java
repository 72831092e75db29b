package dev.vigil.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a file, split at {@code \n} (a {@code \r} before it is dropped), each at most {@link #MAX_LINE}
 * units long: a longer line is refused while it is read, never held whole. Not thread-safe; one per file.
 *
 * <p>From an {@link InputStream} the limit counts bytes and each line is decoded as strict UTF-8 on its own, so a
 * bad byte is reported on its own line (a decoding {@link Reader} reads ahead and would blame an earlier one).
 * From a {@link Reader} the limit counts characters.
 */
abstract class LineSource {
    /** 1 MiB. */
    static final int MAX_LINE = 1 << 20;

    /** A line that cannot be read as text: too long, or not UTF-8. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    private int lineNumber;

    static LineSource of(Reader reader) {
        return new Chars(reader, MAX_LINE);
    }

    static LineSource of(Reader reader, int maxLine) {
        return new Chars(reader, maxLine);
    }

    static LineSource of(InputStream in) {
        return new Bytes(in, MAX_LINE);
    }

    static LineSource of(InputStream in, int maxLine) {
        return new Bytes(in, maxLine);
    }

    /** The number of the line being read or last returned, 1-based; 0 before the first. */
    final int lineNumber() {
        return lineNumber;
    }

    /** The next line without its terminator, or null at the end of the input. */
    final String next() throws IOException, Unreadable {
        lineNumber++;
        String line = readLine();
        if (line == null) {
            lineNumber--;
        }
        return line;
    }

    /** The next line, or null when the input ended before any character of it. */
    abstract String readLine() throws IOException, Unreadable;

    static Unreadable tooLong(int max, String unit) {
        return new Unreadable("line longer than 1 MiB (" + max + " " + unit + ")");
    }

    private static final class Chars extends LineSource {
        private final Reader reader;
        private final int max;
        private final char[] buffer = new char[8192];
        private int pos;
        private int end;
        private boolean eof;

        Chars(Reader reader, int max) {
            this.reader = reader;
            this.max = max;
        }

        @Override
        String readLine() throws IOException, Unreadable {
            if (eof) {
                return null;
            }
            StringBuilder line = new StringBuilder();
            while (true) {
                if (pos == end) {
                    int n = reader.read(buffer);
                    if (n < 0) {
                        eof = true;
                        return line.length() == 0 ? null : finish(line);
                    }
                    pos = 0;
                    end = n;
                }
                int start = pos;
                while (pos < end && buffer[pos] != '\n') {
                    pos++;
                }
                if (line.length() + (pos - start) > max + 1) { // + 1: a '\r' before the '\n' is not content
                    throw tooLong(max, "characters");
                }
                line.append(buffer, start, pos - start);
                if (pos < end) {
                    pos++;
                    return finish(line);
                }
            }
        }

        private String finish(StringBuilder line) throws Unreadable {
            int len = line.length();
            if (len > 0 && line.charAt(len - 1) == '\r') {
                len--;
            }
            if (len > max) {
                throw tooLong(max, "characters");
            }
            return line.substring(0, len);
        }
    }

    private static final class Bytes extends LineSource {
        private final InputStream in;
        private final int max;
        private final byte[] buffer = new byte[8192];
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        private byte[] line = new byte[256];
        private int pos;
        private int end;
        private boolean eof;

        Bytes(InputStream in, int max) {
            this.in = in;
            this.max = max;
        }

        @Override
        String readLine() throws IOException, Unreadable {
            if (eof) {
                return null;
            }
            int len = 0;
            while (true) {
                if (pos == end) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        eof = true;
                        return len == 0 ? null : finish(len);
                    }
                    pos = 0;
                    end = n;
                }
                int start = pos;
                while (pos < end && buffer[pos] != '\n') {
                    pos++;
                }
                int count = pos - start;
                if (len + count > max + 1) { // + 1: a '\r' before the '\n' is not content
                    throw tooLong(max, "bytes");
                }
                if (len + count > line.length) {
                    line = Arrays.copyOf(line, Math.min(Math.max(line.length * 2, len + count), max + 1));
                }
                System.arraycopy(buffer, start, line, len, count);
                len += count;
                if (pos < end) {
                    pos++;
                    return finish(len);
                }
            }
        }

        private String finish(int len) throws Unreadable {
            if (len > 0 && line[len - 1] == '\r') {
                len--;
            }
            if (len > max) {
                throw tooLong(max, "bytes");
            }
            try {
                CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(line, 0, len));
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw new Unreadable("not valid UTF-8");
            }
        }
    }
}
