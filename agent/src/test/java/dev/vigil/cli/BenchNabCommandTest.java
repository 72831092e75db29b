package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchNabCommandTest {
    /** A small NAB folder: one series of 2000 5-minute rows with a level shift at row 1500, labelled. */
    private static Path nabFolder(Path root) throws IOException {
        Path data = Files.createDirectories(root.resolve("data/synthetic"));
        Files.createDirectories(root.resolve("labels"));
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        java.util.Random noise = new java.util.Random(1);
        java.time.LocalDateTime t = java.time.LocalDateTime.of(2024, 1, 1, 0, 0);
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        for (int i = 0; i < 2000; i++) {
            csv.append(f.format(t.plusMinutes(5L * i))).append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.3f", (i >= 1500 ? 80 : 20) + noise.nextGaussian())).append('\n');
        }
        Files.writeString(data.resolve("shift.csv"), csv);
        Files.writeString(root.resolve("labels/combined_windows.json"), "{\"synthetic/shift.csv\": [[\""
                + f.format(t.plusMinutes(5L * 1400)) + ".000000\", \"" + f.format(t.plusMinutes(5L * 1599)) + ".000000\"]]}");
        return root;
    }

    @Test
    @DisplayName("vigil bench nab writes one results file per series and prints the three profiles' scores")
    void benchNabWritesResultsAndPrintsScores(@TempDir Path tmp) throws IOException {
        Path nab = nabFolder(tmp.resolve("nab"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "nab", nab.toString(),
                "--out", tmp.resolve("results").toString());

        assertEquals(0, code, err.toString());
        List<String> rows = Files.readAllLines(tmp.resolve("results/synthetic/shift.csv"));
        assertEquals("timestamp,value,anomaly_score", rows.get(0));
        assertEquals(2001, rows.size());
        for (String profile : List.of("standard", "reward_low_FP_rate", "reward_low_FN_rate")) {
            assertTrue(out.toString().lines().anyMatch(l -> l.startsWith(profile + " ")), profile + " in\n" + out);
        }
        assertTrue(out.toString().contains("1 series, 2000 rows, 1 windows"), out.toString());
    }

    @Test
    @DisplayName("vigil bench nab on a folder that is not NAB's exits 2 and says why")
    void benchNabOnAWrongFolderExitsTwo(@TempDir Path tmp) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "nab", tmp.toString());

        assertEquals(2, code);
        assertTrue(err.toString().contains("not a NAB folder"), err.toString());
    }
}
