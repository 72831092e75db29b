package dev.vigil.content;

import java.time.Duration;
import java.util.regex.Pattern;

/** Parses the content form of durations ({@code 90s}, {@code 2m}, {@code 1h}, {@code 7d}). Stateless. */
public final class Durations {
    public static final Pattern FORM = Pattern.compile("^[1-9][0-9]{0,5}(s|m|h|d)$");

    private Durations() {
    }

    public static boolean valid(String text) {
        return text != null && FORM.matcher(text).matches();
    }

    /** The duration of a valid text; throws {@link IllegalArgumentException} otherwise. */
    public static Duration parse(String text) {
        if (!valid(text)) {
            throw new IllegalArgumentException("not a duration like 90s, 5m, 1h or 7d: " + text);
        }
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** The content form of a duration that came from {@link #parse}. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
