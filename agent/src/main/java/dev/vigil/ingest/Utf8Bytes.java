package dev.vigil.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 for limits measured in bytes: byte lengths of strings, strict decoding, and cutting raw bytes on a character
 * boundary. Stateless.
 */
final class Utf8Bytes {
    private Utf8Bytes() {
    }

    /** The encoded length of {@code s} in bytes, without encoding it. */
    static int byteLength(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Decodes {@code len} bytes from {@code off}, refusing malformed input instead of replacing it. */
    static String decodeStrict(byte[] bytes, int off, int len) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, off, len))
                .toString();
    }

    /** How many of {@code len} bytes from {@code off} fit in {@code max} bytes without splitting a character. */
    static int cut(byte[] bytes, int off, int len, int max) {
        if (len <= max) {
            return len;
        }
        int n = max;
        while (n > 0 && (bytes[off + n] & 0xC0) == 0x80) {
            n--; // the first byte left out continues a character: leave that whole character out
        }
        return n;
    }
}
