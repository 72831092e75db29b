package dev.vigil.fact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class LabelsTest {
    @Test
    void equalLabelSetsShareAKeyWhateverTheOrder() {
        assertEquals(Labels.of("b", "2", "a", "1").key(), Labels.of("a", "1", "b", "2").key());
    }

    @Test
    void hostileValuesCannotMakeTwoLabelSetsCollide() {
        Labels one = Labels.of("a", "x\u0001b=y");
        Labels two = Labels.of("a", "x", "b", "y");
        assertNotEquals(one.key(), two.key());
        assertNotEquals(one, two);
    }

    @Test
    void targetKeepsServiceThenHostThenTheRestAndDropsEmptyValues() {
        Target t = Target.of("mountpoint", "/var/log", "host", "web-1", "service", "web", "pod", "");
        assertEquals("{service=web, host=web-1, mountpoint=/var/log}", t.toString());
        assertEquals(true, t.matches(Target.of("host", "web-1")));
        assertEquals(false, t.matches(Target.of("host", "web-2")));
    }
}
