package dev.vigil.signature;

/** Parses the short durations content uses ("90s", "2m", "1h", "500ms"). Stateless. */
final class Durations {
    private Durations() {
    }

    static long seconds(String text) {
        var m = java.util.regex.Pattern.compile("^([0-9]+)(ms|s|m|h)$").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n / 1000;
            case "s" -> n;
            case "m" -> n * 60;
            default -> n * 3600;
        };
    }
}
