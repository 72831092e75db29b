package dev.vigil.confidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class SourceTest {
    @Test
    void onlyLogsAndAlertsAreNoisy() {
        EnumSet<Source> noisy = EnumSet.noneOf(Source.class);
        for (Source s : Source.values()) {
            if (s.noisy()) {
                noisy.add(s);
            }
        }
        assertEquals(EnumSet.of(Source.LOG, Source.ALERT), noisy);
    }

    @Test
    void lowerCaseNamesParse() {
        assertEquals(Source.METRIC, Source.parse("metric"));
        assertEquals(Source.LOG, Source.parse("log"));
        assertEquals(Source.TRACE, Source.parse("trace"));
        assertEquals(Source.ALERT, Source.parse("alert"));
        assertEquals(Source.EVENT, Source.parse("event"));
    }

    @Test
    void unknownNamesParseToNull() {
        assertNull(Source.parse("span"));
        assertNull(Source.parse("METRIC"));
        assertNull(Source.parse(" log"));
        assertNull(Source.parse(""));
        assertNull(Source.parse(null));
    }
}
