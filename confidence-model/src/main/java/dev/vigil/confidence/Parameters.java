package dev.vigil.confidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The tunable numbers of the {@link ConfidenceModel}, validated whole; an immutable value, safe to share between
 * threads.
 *
 * <p>They live in one {@link Properties} file, bundled as {@code dev/vigil/confidence/parameters.properties}
 * ({@link #defaults()}), whose comments explain each key. A file given to {@link #load} or {@link #parse} must set
 * every key exactly once and nothing else; every problem is collected before one {@link IllegalArgumentException}
 * lists them, one per line, as {@code SOURCE: KEY: problem (was VALUE)}.
 *
 * @param staleAfterSeconds    {@code stale.after.seconds}: evidence older than this starts to decay; {@code > 0}
 * @param staleHalfLifeSeconds {@code stale.half-life.seconds}: past that age, every this many seconds halves what
 *                             the evidence adds; {@code > 0}
 * @param missingSourcePenalty {@code missing-source.penalty}: log-odds taken away per evidence key whose source
 *                             sends nothing for the target; {@code >= 0}
 * @param conflictPenalty      {@code conflict.penalty}: log-odds taken away per other signature diagnosed on the
 *                             same target; {@code >= 0}
 * @param trackRecordWeight    {@code track-record.weight}: multiplies the playbook's history term; {@code >= 0},
 *                             0 turns it off
 * @param noisySourceCap       {@code noisy-source.cap}: highest probability when no present evidence is exact or
 *                             from a source other than logs and alerts; in (0, 1)
 * @param minProbability       {@code probability.min}: lowest probability a score reports; in (0, 1)
 * @param maxProbability       {@code probability.max}: highest probability a score reports; in (0, 1), above the
 *                             minimum
 */
public record Parameters(double staleAfterSeconds, double staleHalfLifeSeconds, double missingSourcePenalty,
                         double conflictPenalty, double trackRecordWeight, double noisySourceCap,
                         double minProbability, double maxProbability) {

    static final String STALE_AFTER = "stale.after.seconds";
    static final String STALE_HALF_LIFE = "stale.half-life.seconds";
    static final String MISSING_SOURCE_PENALTY = "missing-source.penalty";
    static final String CONFLICT_PENALTY = "conflict.penalty";
    static final String TRACK_RECORD_WEIGHT = "track-record.weight";
    static final String NOISY_SOURCE_CAP = "noisy-source.cap";
    static final String PROBABILITY_MIN = "probability.min";
    static final String PROBABILITY_MAX = "probability.max";

    /** Every key, in the order of the record components; problems are listed in this order. */
    private static final List<String> KEYS = List.of(STALE_AFTER, STALE_HALF_LIFE, MISSING_SOURCE_PENALTY,
            CONFLICT_PENALTY, TRACK_RECORD_WEIGHT, NOISY_SOURCE_CAP, PROBABILITY_MIN, PROBABILITY_MAX);

    /** The bundled file, relative to this class. */
    static final String BUNDLED = "parameters.properties";

    /** Plain decimal notation with an optional exponent: no hex, no NaN, no Infinity, no type suffix. */
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    /**
     * Checks every value; a record built in code is held to the same rules as a file.
     *
     * @throws IllegalArgumentException listing every value out of range, with source name {@code Parameters}
     */
    public Parameters {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(STALE_AFTER, staleAfterSeconds);
        values.put(STALE_HALF_LIFE, staleHalfLifeSeconds);
        values.put(MISSING_SOURCE_PENALTY, missingSourcePenalty);
        values.put(CONFLICT_PENALTY, conflictPenalty);
        values.put(TRACK_RECORD_WEIGHT, trackRecordWeight);
        values.put(NOISY_SOURCE_CAP, noisySourceCap);
        values.put(PROBABILITY_MIN, minProbability);
        values.put(PROBABILITY_MAX, maxProbability);
        List<String> problems = new ArrayList<>();
        Map<String, Double> valid = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (checkValue("Parameters", e.getKey(), e.getValue(), Double.toString(e.getValue()), problems)) {
                valid.put(e.getKey(), e.getValue());
            }
        }
        checkOrder("Parameters", valid, problems);
        throwIfAny(problems);
    }

    /**
     * The bundled parameters, read from {@code dev/vigil/confidence/parameters.properties} on the class path.
     *
     * @throws IllegalStateException when the bundled file is absent (a broken build)
     * @throws UncheckedIOException  when it cannot be read
     */
    public static Parameters defaults() {
        String name = "classpath:/dev/vigil/confidence/" + BUNDLED;
        try (InputStream in = Parameters.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("bundled confidence parameters not found: " + name);
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /**
     * Parameters from a UTF-8 properties file in the format of the bundled one.
     *
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException listing every problem, each prefixed with the file's path
     */
    public static Parameters load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.toString());
        }
    }

    /**
     * Parameters from properties text; the reader is read to its end and not closed.
     *
     * @param sourceName names the text in problems (a path, {@code classpath:/…})
     * @throws IOException              when the reader fails
     * @throws IllegalArgumentException listing every problem: unknown keys, missing keys, keys set more than once,
     *                                  values that are not numbers, values out of range, a minimum not below the
     *                                  maximum
     */
    public static Parameters parse(Reader reader, String sourceName) throws IOException {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(sourceName, "sourceName");
        Map<String, List<String>> seen = readAll(reader);

        List<String> problems = new ArrayList<>();
        Map<String, Double> values = new LinkedHashMap<>();
        for (String key : KEYS) {
            List<String> raws = seen.get(key);
            if (raws == null) {
                problems.add(sourceName + ": " + key + ": required (was missing)");
                continue;
            }
            if (raws.size() > 1) {
                problems.add(sourceName + ": " + key + ": set more than once (was " + String.join(", ", raws)
                        + ")");
                continue;
            }
            String raw = raws.get(0).strip();
            if (!NUMBER.matcher(raw).matches()) {
                problems.add(sourceName + ": " + key + ": not a number (was " + (raw.isEmpty() ? "empty" : raw)
                        + ")");
                continue;
            }
            double value = Double.parseDouble(raw);
            if (checkValue(sourceName, key, value, raw, problems)) {
                values.put(key, value);
            }
        }
        checkOrder(sourceName, values, problems);
        new TreeMap<>(seen).forEach((key, raws) -> {
            if (!KEYS.contains(key)) {
                problems.add(sourceName + ": " + key + ": unknown key (was " + raws.get(raws.size() - 1).strip()
                        + ")");
            }
        });
        throwIfAny(problems);
        return new Parameters(values.get(STALE_AFTER), values.get(STALE_HALF_LIFE),
                values.get(MISSING_SOURCE_PENALTY), values.get(CONFLICT_PENALTY), values.get(TRACK_RECORD_WEIGHT),
                values.get(NOISY_SOURCE_CAP), values.get(PROBABILITY_MIN), values.get(PROBABILITY_MAX));
    }

    /** Every key with every value it was given, in file order; {@link Properties} alone would keep only the last. */
    private static Map<String, List<String>> readAll(Reader reader) throws IOException {
        Map<String, List<String>> seen = new LinkedHashMap<>();
        Properties recorder = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                seen.computeIfAbsent((String) key, k -> new ArrayList<>()).add((String) value);
                return super.put(key, value);
            }
        };
        recorder.load(reader);
        return seen;
    }

    /** Adds the problem with one value, if any; true when the value is fine. */
    private static boolean checkValue(String source, String key, double value, String raw, List<String> problems) {
        String problem;
        if (!Double.isFinite(value)) {
            problem = "must be a finite number";
        } else {
            problem = switch (key) {
                case STALE_AFTER, STALE_HALF_LIFE -> value > 0 ? null : "must be > 0";
                case MISSING_SOURCE_PENALTY, CONFLICT_PENALTY, TRACK_RECORD_WEIGHT -> value >= 0 ? null : "must be >= 0";
                case NOISY_SOURCE_CAP, PROBABILITY_MIN, PROBABILITY_MAX ->
                        value > 0 && value < 1 ? null : "must be in (0, 1)";
                default -> throw new IllegalStateException("no range for " + key);
            };
        }
        if (problem != null) {
            problems.add(source + ": " + key + ": " + problem + " (was " + raw + ")");
        }
        return problem == null;
    }

    /** Adds a problem when the minimum probability is not below the maximum; {@code valid} holds valid values only. */
    private static void checkOrder(String source, Map<String, Double> valid, List<String> problems) {
        Double min = valid.get(PROBABILITY_MIN);
        Double max = valid.get(PROBABILITY_MAX);
        if (min != null && max != null && !(min < max)) {
            problems.add(source + ": " + PROBABILITY_MIN + ": must be less than " + PROBABILITY_MAX + " = " + max
                    + " (was " + min + ")");
        }
    }

    private static void throwIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid confidence parameters (" + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + "):\n" + String.join("\n", problems));
        }
    }
}
