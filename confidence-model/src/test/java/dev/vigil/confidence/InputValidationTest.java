package dev.vigil.confidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Misuse of the input records is rejected with the offending value. */
class InputValidationTest {
    static final String SIGNATURE = "db-connection-pool-exhaustion";
    static final EvidenceInput POOL = new EvidenceInput("pool-saturated", 2.0, 1.0, Source.METRIC, false, 0, "pool");

    static String message(Runnable construct) {
        return assertThrows(IllegalArgumentException.class, construct::run).getMessage();
    }

    static void assertMentions(String message, String value) {
        assertTrue(message.contains(value), () -> "expected \"" + value + "\" in: " + message);
    }

    static ScoreInput score(List<EvidenceInput> evidence, List<String> missing, List<String> conflicts) {
        return new ScoreInput(SIGNATURE, 0.2, evidence, missing, conflicts, TrackRecord.NONE);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0, -0.1, 1.5, Double.NaN})
    void priorOutsideTheOpenUnitIntervalIsRejected(double prior) {
        String message = message(() -> new ScoreInput(SIGNATURE, prior, List.of(POOL), List.of(), List.of(),
                TrackRecord.NONE));

        assertEquals(SIGNATURE + ": prior must be in (0, 1) (was " + prior + ")", message);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.01, Double.NaN})
    void strengthOutsideTheUnitIntervalIsRejected(double strength) {
        String message = message(() -> new EvidenceInput("pool-saturated", 1, strength, Source.METRIC, false, 0, ""));

        assertEquals("evidence pool-saturated: strength must be in [0, 1] (was " + strength + ")", message);
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void weightThatIsNotFiniteIsRejected(double weight) {
        String message = message(() -> new EvidenceInput("pool-saturated", weight, 1, Source.METRIC, false, 0, ""));

        assertEquals("evidence pool-saturated: weight must be finite (was " + weight + ")", message);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.0, Double.NaN, Double.POSITIVE_INFINITY})
    void ageThatIsNegativeOrNotFiniteIsRejected(double age) {
        String message = message(() -> new EvidenceInput("pool-saturated", 1, 1, Source.METRIC, false, age, ""));

        assertEquals("evidence pool-saturated: ageSeconds must be finite and >= 0 (was " + age + ")", message);
    }

    @Test
    void blankKeyIsRejected() {
        assertMentions(message(() -> new EvidenceInput(" ", 1, 1, Source.METRIC, false, 0, "x")), "(was \" \")");
    }

    @Test
    void missingSourceOrKeyIsANullPointer() {
        assertThrows(NullPointerException.class, () -> new EvidenceInput(null, 1, 1, Source.METRIC, false, 0, "x"));
        assertThrows(NullPointerException.class, () -> new EvidenceInput("k", 1, 1, null, false, 0, "x"));
    }

    @Test
    void blankDetailFallsBackToTheKey() {
        assertEquals("pool-saturated",
                new EvidenceInput("pool-saturated", 1, 1, Source.METRIC, false, 0, null).detail());
        assertEquals("pool-saturated",
                new EvidenceInput("pool-saturated", 1, 1, Source.METRIC, false, 0, "  ").detail());
    }

    @Test
    void aRepeatedEvidenceKeyIsRejected() {
        assertMentions(message(() -> score(List.of(POOL, POOL), List.of(), List.of())), "pool-saturated");
    }

    @Test
    void aKeyBothObservedAndMissingIsRejected() {
        assertEquals(SIGNATURE + ": missing source pool-saturated also has evidence; a key is either observed or "
                + "missing", message(() -> score(List.of(POOL), List.of("pool-saturated"), List.of())));
    }

    @Test
    void aRepeatedMissingSourceIsRejected() {
        assertMentions(message(() -> score(List.of(POOL), List.of("threads-waiting", "threads-waiting"), List.of())),
                "threads-waiting");
    }

    @Test
    void aSignatureConflictingWithItselfIsRejected() {
        assertMentions(message(() -> score(List.of(POOL), List.of(), List.of(SIGNATURE))), "(was " + SIGNATURE + ")");
    }

    @Test
    void aRepeatedConflictingSignatureIsRejected() {
        assertMentions(message(() -> score(List.of(POOL), List.of(), List.of("disk-full", "disk-full"))),
                "disk-full");
    }

    @Test
    void blankSignatureIsRejected() {
        assertMentions(message(() -> new ScoreInput("", 0.2, List.of(), List.of(), List.of(), TrackRecord.NONE)),
                "(was \"\")");
    }

    @Test
    void nullListsAndTrackRecordAreNullPointers() {
        assertThrows(NullPointerException.class, () -> score(null, List.of(), List.of()));
        assertThrows(NullPointerException.class, () -> score(List.of(), null, List.of()));
        assertThrows(NullPointerException.class, () -> score(List.of(), List.of(), null));
        assertThrows(NullPointerException.class,
                () -> new ScoreInput(SIGNATURE, 0.2, List.of(), List.of(), List.of(), null));
    }

    @Test
    void negativeTrackRecordCountsAreRejected() {
        assertEquals("successes must be >= 0 (was -1)", message(() -> new TrackRecord(-1, 0)));
        assertEquals("failures must be >= 0 (was -2)", message(() -> new TrackRecord(0, -2)));
    }

    @Test
    void reasonTermsAreTheSevenKnownOnes() {
        assertMentions(message(() -> new Reason("bonus", 1, "x")), "(was \"bonus\")");
        for (String term : List.of("prior", "evidence", "stale", "missing-source", "conflict", "track-record",
                "cap")) {
            assertEquals(term, new Reason(term, 0, "x").term());
        }
    }

    @Test
    void scoreProbabilityOutsideTheUnitIntervalIsRejected() {
        assertEquals("probability must be in [0, 1] (was 1.2)", message(() -> new Score(1.2, List.of())));
        assertEquals("probability must be in [0, 1] (was NaN)", message(() -> new Score(Double.NaN, List.of())));
    }
}
