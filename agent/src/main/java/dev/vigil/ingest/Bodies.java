package dev.vigil.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Decompression of untrusted bodies with a hard cap on the output, so a small bomb cannot fill the heap. */
public final class Bodies {
    private Bodies() {
    }

    /** Gunzips {@code body}, refusing output past {@code maxDecodedBytes}. */
    public static byte[] gunzip(byte[] body, int maxDecodedBytes) throws BadPayloadException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body), 8192)) {
            return readAtMost(in, maxDecodedBytes, "gzip");
        } catch (BadPayloadException e) {
            throw e;
        } catch (IOException e) {
            throw new BadPayloadException("gzip: " + e.getMessage(), e);
        }
    }

    private static byte[] readAtMost(InputStream in, int max, String what) throws IOException, BadPayloadException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 64 << 10));
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > max) {
                throw new PayloadTooLargeException(what + ": body decompresses to more than " + max + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
