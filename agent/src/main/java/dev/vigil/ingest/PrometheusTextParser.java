package dev.vigil.ingest;

import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Parses the Prometheus text exposition format 0.0.4 into samples, adding the scrape target's labels as Prometheus does
 * with {@code honor_labels: false}: an exposed label that clashes with a target label is kept as {@code exported_<name>}.
 * A malformed line is refused alone ({@code malformed_line}); the lines around it still count. Stateless, thread-safe.
 *
 * <p>Types come only from {@code # TYPE}: the samples of a counter, the {@code _bucket}, {@code _sum} and
 * {@code _count} of a histogram and the {@code _sum} and {@code _count} of a summary are counters; everything else
 * (gauges, untyped families, summary quantiles) is a gauge.
 */
public final class PrometheusTextParser {
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final Pattern TIMESTAMP = Pattern.compile("-?\\d{1,18}");
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PrometheusTextParser() {
    }

    /**
     * Parses one scrape. Samples without their own timestamp get {@code scrapeTimeMillis}.
     *
     * @throws PayloadTooLargeException when the scrape holds more than {@link IngestLimits#maxItemsPerRequest()}
     *                                  samples (the whole scrape fails, like Prometheus's {@code sample_limit})
     */
    public static Decoded parse(String text, Labels targetLabels, long scrapeTimeMillis, IngestLimits limits)
            throws PayloadTooLargeException {
        Decoded.Builder out = Decoded.builder();
        Map<String, String> types = new HashMap<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            Line line = new Line(text, start, end);
            start = end + 1;
            line.skipBlanks();
            if (line.atEnd()) {
                continue;
            }
            if (line.peek() == '#') {
                if (!typeComment(line, types)) {
                    out.reject("malformed_line");
                }
                continue;
            }
            Sample s = line.sample();
            if (s == null) {
                out.reject("malformed_line");
                continue;
            }
            if (out.size() >= limits.maxItemsPerRequest()) {
                throw new PayloadTooLargeException("scrape: more than " + limits.maxItemsPerRequest() + " samples");
            }
            Map<String, String> labels = withTargetLabels(s.labels(), targetLabels);
            // the name is a label (__name__) to Prometheus, so it has a label value's limit
            String refused = Utf8Bytes.byteLength(s.name()) > limits.maxLabelValueBytes()
                    ? LabelCheck.LABEL_VALUE_TOO_LONG : LabelCheck.violation(labels, limits);
            if (refused != null) {
                out.reject(refused);
                continue;
            }
            long time = s.timestamp() == null ? scrapeTimeMillis : s.timestamp();
            out.add(new MetricSample(s.name(), Labels.of(labels), s.value(), typeOf(s.name(), types), time));
        }
        return out.build();
    }

    /** Records a {@code # TYPE} line; other comments ({@code # HELP}, free text) are ignored. False when malformed. */
    private static boolean typeComment(Line line, Map<String, String> types) {
        String[] words = line.rest().substring(1).trim().split("[ \t]+");
        if (!words[0].equals("TYPE")) {
            return true;
        }
        if (words.length != 3 || !METRIC_NAME.matcher(words[1]).matches() || !TYPES.contains(words[2])) {
            return false;
        }
        types.put(words[1], words[2]);
        return true;
    }

    private static MetricType typeOf(String name, Map<String, String> types) {
        if ("counter".equals(types.get(name))) {
            return MetricType.COUNTER;
        }
        String family = familyOf(name, "_total");
        if (family != null && "counter".equals(types.get(family))) {
            return MetricType.COUNTER; // OpenMetrics-style: "# TYPE x counter" with samples named x_total
        }
        family = familyOf(name, "_bucket");
        if (family != null && "histogram".equals(types.get(family))) {
            return MetricType.COUNTER;
        }
        for (String suffix : List.of("_sum", "_count")) {
            family = familyOf(name, suffix);
            if (family != null && ("histogram".equals(types.get(family)) || "summary".equals(types.get(family)))) {
                return MetricType.COUNTER;
            }
        }
        return MetricType.GAUGE;
    }

    private static String familyOf(String name, String suffix) {
        return name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : null;
    }

    /**
     * The exposed labels (empty values dropped: Prometheus treats them as absent) plus the target's, which win; an
     * exposed label they displace is kept under {@code exported_}, repeated until the name is free.
     */
    private static Map<String, String> withTargetLabels(Map<String, String> exposed, Labels target) {
        Map<String, String> out = new TreeMap<>();
        exposed.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, v);
            }
        });
        List<Map.Entry<String, String>> clashes = new ArrayList<>();
        target.asMap().forEach((k, v) -> {
            String displaced = out.put(k, v);
            if (displaced != null) {
                clashes.add(Map.entry(k, displaced));
            }
        });
        clashes.sort(Comparator.comparingInt(e -> e.getKey().length())); // Prometheus resolves shorter names first
        for (Map.Entry<String, String> clash : clashes) {
            String name = clash.getKey();
            do {
                name = "exported_" + name;
            } while (out.containsKey(name));
            out.put(name, clash.getValue());
        }
        return out;
    }

    /** One parsed sample line, before the target's labels are added. */
    private record Sample(String name, Map<String, String> labels, double value, Long timestamp) {
    }

    /** A cursor over one line of the exposition. */
    private static final class Line {
        private final String text;
        private final int end;
        private int pos;

        Line(String text, int start, int end) {
            this.text = text;
            // tolerate CRLF line ends
            this.end = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            this.pos = start;
        }

        boolean atEnd() {
            return pos >= end;
        }

        char peek() {
            return text.charAt(pos);
        }

        String rest() {
            return text.substring(pos, end);
        }

        /** Skips spaces and tabs; true when there were any. */
        boolean skipBlanks() {
            int from = pos;
            while (pos < end && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
                pos++;
            }
            return pos > from;
        }

        /** {@code name[{labels}] value [timestamp]}, or null when the line is not one. */
        Sample sample() {
            String name = name(true);
            if (name == null) {
                return null;
            }
            boolean gap = skipBlanks();
            Map<String, String> labels = new TreeMap<>();
            if (!atEnd() && peek() == '{') {
                pos++;
                if (!labels(labels)) {
                    return null;
                }
                gap = skipBlanks();
            }
            if (!gap) {
                return null;
            }
            Double value = value(word());
            if (value == null) {
                return null;
            }
            Long timestamp = null;
            if (skipBlanks() && !atEnd()) {
                String ts = word();
                if (!TIMESTAMP.matcher(ts).matches()) {
                    return null;
                }
                timestamp = Long.parseLong(ts);
                skipBlanks();
            }
            return atEnd() ? new Sample(name, labels, value, timestamp) : null;
        }

        /** Label pairs up to and including the closing brace; a trailing comma is allowed. False when malformed. */
        private boolean labels(Map<String, String> into) {
            while (true) {
                skipBlanks();
                if (atEnd()) {
                    return false;
                }
                if (peek() == '}') {
                    pos++;
                    return true;
                }
                String name = name(false);
                skipBlanks();
                if (name == null || atEnd() || peek() != '=') {
                    return false;
                }
                pos++;
                skipBlanks();
                String value = quoted();
                if (value == null || into.put(name, value) != null) {
                    return false; // unterminated, or the same label twice
                }
                skipBlanks();
                if (!atEnd() && peek() == ',') {
                    pos++;
                } else if (atEnd() || peek() != '}') {
                    return false;
                }
            }
        }

        private String name(boolean metric) {
            int from = pos;
            while (pos < end) {
                char c = text.charAt(pos);
                boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                        || (pos > from && c >= '0' && c <= '9') || (metric && c == ':');
                if (!ok) {
                    break;
                }
                pos++;
            }
            return pos > from ? text.substring(from, pos) : null;
        }

        /**
         * A double-quoted label value. {@code \\}, {@code \"} and {@code \n} are unescaped; any other backslash pair
         * is kept as written, as Prometheus does.
         */
        private String quoted() {
            if (atEnd() || peek() != '"') {
                return null;
            }
            pos++;
            StringBuilder sb = new StringBuilder();
            while (pos < end) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\' && pos < end) {
                    char next = text.charAt(pos++);
                    switch (next) {
                        case '\\', '"' -> sb.append(next);
                        case 'n' -> sb.append('\n');
                        default -> sb.append('\\').append(next);
                    }
                } else {
                    sb.append(c);
                }
            }
            return null;
        }

        private String word() {
            int from = pos;
            while (pos < end && text.charAt(pos) != ' ' && text.charAt(pos) != '\t') {
                pos++;
            }
            return text.substring(from, pos);
        }

        /** Go's ParseFloat spellings that exporters use: decimals, NaN and (+/-)Inf in any case. */
        private static Double value(String word) {
            String unsigned = word.startsWith("+") || word.startsWith("-") ? word.substring(1) : word;
            switch (unsigned.toLowerCase(Locale.ROOT)) {
                case "nan":
                    return Double.NaN;
                case "inf", "infinity":
                    return word.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                default:
                    // Double.parseDouble alone would also take "1d", "0x1p3" and "Infinity" spellings Go refuses
                    return DECIMAL.matcher(word).matches() ? Double.parseDouble(word) : null;
            }
        }
    }
}
