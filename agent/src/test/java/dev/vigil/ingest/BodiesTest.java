package dev.vigil.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodiesTest {
    @Test
    void aGzipBombIsRefusedOnceItsOutputPassesTheLimit() throws IOException {
        byte[] bomb = gzip(new byte[64 << 20]); // 64 MiB of zeros, about 64 KiB compressed

        PayloadTooLargeException e = assertThrows(PayloadTooLargeException.class, () -> Bodies.gunzip(bomb, 1 << 20));

        assertTrue(e.getMessage().startsWith("gzip: "), e.getMessage());
    }

    @Test
    void aBodyWithinTheLimitIsReturnedWhole() throws Exception {
        byte[] body = "{\"resourceSpans\":[]}".getBytes();

        assertArrayEquals(body, Bodies.gunzip(gzip(body), body.length));
    }

    @Test
    void somethingThatIsNotGzipIsABadPayload() {
        BadPayloadException e = assertThrows(BadPayloadException.class, () -> Bodies.gunzip("plain".getBytes(), 1 << 20));

        assertTrue(!(e instanceof PayloadTooLargeException) && e.getMessage().startsWith("gzip: "), e.getMessage());
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
