package dev.vigil.bench.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a NAB folder ({@code data/CATEGORY/*.csv}, {@code labels/combined_windows.json}, {@code config/profiles.json})
 * into {@link NabSeries}. Stateless; thread-safe.
 */
public final class NabCorpus {
    /** NAB writes {@code 2014-07-01 00:00:00} in data files and {@code 2014-07-01 00:00:00.000000} in windows. */
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter();

    private NabCorpus() {
    }

    /** Every data file under {@code dir/data}, sorted by name, with its windows. */
    public static List<NabSeries> load(Path dir) throws IOException {
        Path data = dir.resolve("data");
        Path labels = dir.resolve("labels/combined_windows.json");
        if (!Files.isDirectory(data) || !Files.isRegularFile(labels)) {
            throw new IOException(dir + ": not a NAB folder (needs data/ and labels/combined_windows.json)");
        }
        JsonNode windows = new ObjectMapper().readTree(labels.toFile());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(data, 2)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException(data + ": no .csv data file");
        }
        List<NabSeries> series = new ArrayList<>();
        for (Path f : files) {
            String name = data.relativize(f).toString().replace('\\', '/');
            JsonNode w = windows.get(name);
            if (w == null) {
                throw new IOException(labels + ": " + name + ": no windows listed for this data file");
            }
            series.add(read(f, name, w, labels));
        }
        return series;
    }

    /** The cost profiles of {@code dir/config/profiles.json}, or NAB's three when the file is absent. */
    public static List<NabProfile> profiles(Path dir) throws IOException {
        Path file = dir.resolve("config/profiles.json");
        return Files.isRegularFile(file) ? NabProfile.load(file) : NabProfile.standardProfiles();
    }

    private static NabSeries read(Path file, String name, JsonNode windowList, Path labels) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().equals("timestamp,value")) {
            throw new IOException(file + ":1: header: expected timestamp,value");
        }
        int n = lines.size() - 1;
        while (n > 0 && lines.get(n).isBlank()) {
            n--;
        }
        String[] times = new String[n];
        String[] values = new String[n];
        long[] millis = new long[n];
        double[] numbers = new double[n];
        List<LocalDateTime> parsed = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String line = lines.get(i + 1);
            int comma = line.indexOf(',');
            if (comma < 0) {
                throw new IOException(file + ":" + (i + 2) + ": row: expected timestamp,value");
            }
            times[i] = line.substring(0, comma).trim();
            values[i] = line.substring(comma + 1).trim();
            try {
                LocalDateTime t = LocalDateTime.parse(times[i], TIME);
                parsed.add(t);
                millis[i] = t.toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IOException(file + ":" + (i + 2) + ": timestamp: not yyyy-MM-dd HH:mm:ss: " + times[i]);
            }
            try {
                numbers[i] = Double.parseDouble(values[i]);
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 2) + ": value: not a number: " + values[i]);
            }
        }
        List<NabSeries.Window> windows = new ArrayList<>();
        for (JsonNode w : windowList) {
            // NAB enters a window at the first row of its start time and leaves it at the first row of its end time
            int first = parsed.indexOf(parseWindowTime(w.get(0), labels, name));
            int last = parsed.indexOf(parseWindowTime(w.get(1), labels, name));
            if (first < 0 || last < first) {
                throw new IOException(labels + ": " + name + ": window " + w + " does not match the data rows");
            }
            windows.add(new NabSeries.Window(first, last));
        }
        return new NabSeries(name, times, values, millis, numbers, windows);
    }

    private static LocalDateTime parseWindowTime(JsonNode t, Path labels, String name) throws IOException {
        try {
            return LocalDateTime.parse(t == null ? "" : t.asText(), TIME);
        } catch (DateTimeParseException e) {
            throw new IOException(labels + ": " + name + ": window time: not yyyy-MM-dd HH:mm:ss: " + t);
        }
    }
}
