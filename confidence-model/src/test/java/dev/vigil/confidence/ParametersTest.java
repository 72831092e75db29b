package dev.vigil.confidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParametersTest {
    static final String VALID = String.join("\n",
            "# a comment",
            "stale.after.seconds = 120",
            "stale.half-life.seconds=60",
            "missing-source.penalty   0.25",
            "conflict.penalty: 1",
            "track-record.weight = 0",
            "noisy-source.cap = 0.8",
            "probability.min = 0.01",
            "probability.max = 0.99 ",
            "");

    static Parameters parse(String text) throws IOException {
        return Parameters.parse(new StringReader(text), "custom.properties");
    }

    static String problems(String text) {
        return assertThrows(IllegalArgumentException.class, () -> parse(text)).getMessage();
    }

    @Test
    void bundledFileHoldsTheDocumentedDefaults() {
        assertEquals(new Parameters(300, 300, 0.3, 0.7, 1.0, 0.85, 0.001, 0.999), Parameters.defaults());
    }

    @Test
    void aFileInTheSameFormatIsRead() throws IOException {
        assertEquals(new Parameters(120, 60, 0.25, 1, 0, 0.8, 0.01, 0.99), parse(VALID));
    }

    @Test
    void loadReadsAFileFromDisk(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("confidence.properties");
        Files.writeString(file, VALID, StandardCharsets.UTF_8);

        assertEquals(new Parameters(120, 60, 0.25, 1, 0, 0.8, 0.01, 0.99), Parameters.load(file));
    }

    @Test
    void loadNamesTheFileInEachProblem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("confidence.properties");
        Files.writeString(file, VALID.replace("noisy-source.cap = 0.8", "noisy-source.cap = 0"),
                StandardCharsets.UTF_8);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parameters.load(file));

        assertEquals("invalid confidence parameters (1 problem):\n"
                + file + ": noisy-source.cap: must be in (0, 1) (was 0)", e.getMessage());
    }

    @Test
    void everyKindOfProblemIsListedTogether() {
        String text = String.join("\n",
                "stale.after.seconds = 0",
                "stale.half_life.seconds = 300",
                "missing-source.penalty = -0.1",
                "conflict.penalty = lots",
                "track-record.weight = 1.0",
                "track-record.weight = 2.0",
                "noisy-source.cap = 1",
                "probability.min = 0.5",
                "probability.max = 0.4",
                "colour = blue");

        assertEquals("invalid confidence parameters (9 problems):\n"
                + "custom.properties: stale.after.seconds: must be > 0 (was 0)\n"
                + "custom.properties: stale.half-life.seconds: required (was missing)\n"
                + "custom.properties: missing-source.penalty: must be >= 0 (was -0.1)\n"
                + "custom.properties: conflict.penalty: not a number (was lots)\n"
                + "custom.properties: track-record.weight: set more than once (was 1.0, 2.0)\n"
                + "custom.properties: noisy-source.cap: must be in (0, 1) (was 1)\n"
                + "custom.properties: probability.min: must be less than probability.max = 0.4 (was 0.5)\n"
                + "custom.properties: colour: unknown key (was blue)\n"
                + "custom.properties: stale.half_life.seconds: unknown key (was 300)", problems(text));
    }

    @Test
    void anEmptyFileMissesEveryKey() {
        assertEquals("invalid confidence parameters (8 problems):\n"
                + "custom.properties: stale.after.seconds: required (was missing)\n"
                + "custom.properties: stale.half-life.seconds: required (was missing)\n"
                + "custom.properties: missing-source.penalty: required (was missing)\n"
                + "custom.properties: conflict.penalty: required (was missing)\n"
                + "custom.properties: track-record.weight: required (was missing)\n"
                + "custom.properties: noisy-source.cap: required (was missing)\n"
                + "custom.properties: probability.min: required (was missing)\n"
                + "custom.properties: probability.max: required (was missing)", problems(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "0x1p3", "5m", "300s", "1d", "1,5"})
    void onlyPlainDecimalNumbersAreAccepted(String value) {
        assertEquals("invalid confidence parameters (1 problem):\n"
                        + "custom.properties: stale.after.seconds: not a number (was " + value + ")",
                problems(VALID.replace("stale.after.seconds = 120", "stale.after.seconds = " + value)));
    }

    @Test
    void anEmptyValueIsNotANumber() {
        assertEquals("invalid confidence parameters (1 problem):\n"
                        + "custom.properties: conflict.penalty: not a number (was empty)",
                problems(VALID.replace("conflict.penalty: 1", "conflict.penalty:")));
    }

    @Test
    void aNumberTooLargeForADoubleIsNotFinite() {
        assertEquals("invalid confidence parameters (1 problem):\n"
                        + "custom.properties: stale.after.seconds: must be a finite number (was 1e999)",
                problems(VALID.replace("stale.after.seconds = 120", "stale.after.seconds = 1e999")));
    }

    @Test
    void equalBoundsAreRejected() {
        assertEquals("invalid confidence parameters (1 problem):\n"
                        + "custom.properties: probability.min: must be less than probability.max = 0.99 (was 0.99)",
                problems(VALID.replace("probability.min = 0.01", "probability.min = 0.99")));
    }

    @Test
    void zeroPenaltiesAndWeightTurnTermsOff() throws IOException {
        Parameters p = parse(VALID.replace("missing-source.penalty   0.25", "missing-source.penalty = 0")
                .replace("conflict.penalty: 1", "conflict.penalty = 0"));

        assertEquals(0, p.missingSourcePenalty());
        assertEquals(0, p.conflictPenalty());
        assertEquals(0, p.trackRecordWeight());
    }

    @Test
    void parametersBuiltInCodeAreCheckedTheSameWay() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Parameters(-1, 300, 0.3, Double.NaN, 1.0, 0.85, 0.9, 0.5));

        assertEquals("invalid confidence parameters (3 problems):\n"
                + "Parameters: stale.after.seconds: must be > 0 (was -1.0)\n"
                + "Parameters: conflict.penalty: must be a finite number (was NaN)\n"
                + "Parameters: probability.min: must be less than probability.max = 0.5 (was 0.9)", e.getMessage());
    }

    @Test
    void anOrderProblemIsNotReportedWhenABoundIsAlreadyWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Parameters(300, 300, 0.3, 0.7, 1.0, 0.85, 1.5, 0.5));

        assertEquals("invalid confidence parameters (1 problem):\n"
                + "Parameters: probability.min: must be in (0, 1) (was 1.5)", e.getMessage());
    }
}
