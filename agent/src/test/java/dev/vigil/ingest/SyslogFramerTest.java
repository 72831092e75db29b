package dev.vigil.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyslogFramerTest {
    @Test
    void octetCountedAndLineFramedMessagesMixPerFrameEvenFedByteByByte() throws Exception {
        String stream = "11 <13>1 - a b\n<13>1 - line one\r\n\n16 <13>1 - two\nmore<13>1 - line three\n";
        SyslogFramer framer = new SyslogFramer(100);
        List<String> frames = new ArrayList<>();
        for (byte b : stream.getBytes(StandardCharsets.UTF_8)) {
            framer.append(new byte[] {b});
            byte[] frame;
            while ((frame = framer.next()) != null) {
                frames.add(new String(frame, StandardCharsets.UTF_8));
            }
        }

        assertEquals(List.of("<13>1 - a b", "<13>1 - line one", "<13>1 - two\nmore", "<13>1 - line three"), frames,
                "an octet count covers an LF inside the message; CRLF and blank lines end line frames");
        assertNull(framer.next());
    }

    @Test
    void aLengthOrLineOverTheLimitLosesTheFraming() {
        assertEquals("frame_too_large", failure("101 <13>1"));
        assertEquals("frame_too_large", failure("99999999999 "));
        assertEquals("frame_too_large", failure("<13>" + "x".repeat(100)));
        assertEquals("bad_frame", failure("12x"));
        assertEquals("bad_frame", failure("0 "));
    }

    private static String failure(String stream) {
        SyslogFramer framer = new SyslogFramer(100);
        framer.append(stream.getBytes(StandardCharsets.UTF_8));
        return assertThrows(SyslogFramer.FramingException.class, framer::next).reason;
    }
}
