package dev.vigil.condense;

import dev.vigil.fact.LogRecord;
import dev.vigil.fact.Telemetry;
import java.util.regex.Pattern;

/**
 * Turns a log message into its template by masking the parts that vary between occurrences: ids, numbers,
 * addresses, host names and paths. Thread-safe and stateless.
 *
 * <p>The regex passes cost microseconds per record, too much for the single engine thread at 100k records/s: the
 * daemon's receivers call {@link #templated} before queueing, so the work is spread over the event loops and the
 * engine gets records that carry their template.
 *
 * <p>"request timed out after 30000ms" and "after 5000ms" give one template, "request timed out after &lt;n&gt;ms".
 * Java class names ({@code java.net.UnknownHostException}) are kept: they end in a capitalised segment.
 */
public final class LogTemplates {
    private static final int MAX_TEMPLATE = 300;
    private static final Pattern UUID = Pattern.compile(
            "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    private static final Pattern URL = Pattern.compile("\\b[a-z][a-z0-9+.-]*://\\S+");
    private static final Pattern IPV4 = Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d+)?\\b");
    private static final Pattern HEX = Pattern.compile("\\b(?:0x)?[0-9a-fA-F]*\\d[0-9a-fA-F]*[a-fA-F][0-9a-fA-F]*\\b|\\b0x[0-9a-fA-F]+\\b");
    private static final Pattern HOSTNAME = Pattern.compile("\\b[a-z0-9-]+(?:\\.[a-z0-9-]+)+(?![.\\w])");
    private static final Pattern PATH = Pattern.compile("(?<![\\w/])(?:/[\\w.@+-]+){2,}/?");
    private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z])[-+]?\\d+(?:[.,]\\d+)*");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\t]]");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private LogTemplates() {
    }

    /**
     * A log record with its template (of its body cut to {@code maxBodyChars}, as the condense stage cuts it); any other
     * observation, or a record already templated, unchanged. Runs on the receiving thread.
     */
    public static Telemetry templated(Telemetry t, int maxBodyChars) {
        if (t instanceof LogRecord l && l.template() == null) {
            return l.withTemplate(template(cut(l.body(), maxBodyChars)));
        }
        return t;
    }

    /** The body as condense keeps it: at most {@code maxBodyChars} characters. */
    static String cut(String body, int maxBodyChars) {
        return body.length() > maxBodyChars ? body.substring(0, maxBodyChars) : body;
    }

    /** The template of a message, at most 300 characters, control characters replaced by spaces. */
    public static String template(String message) {
        return template(message, true);
    }

    /** The same template with every pass run, none skipped: what the skipping is tested against. */
    static String templateWithEveryPass(String message) {
        return template(message, false);
    }

    /**
     * What {@code NUMBER.matcher(s).replaceAll("<n>")} gives, in one loop without a regex (the pass every line with a
     * digit needs): a match is an optional sign, digits, then any number of [.,] followed by digits, and must not start
     * right after an ASCII letter; after a failed start the search moves on one character, as the matcher's does.
     */
    static String maskNumbers(String s) {
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            int start = -1;
            int j = i;
            if ((c == '-' || c == '+') && i + 1 < n && isDigit(s.charAt(i + 1))) {
                start = i;
                j = i + 1;
            } else if (isDigit(c)) {
                start = i;
            }
            if (start < 0 || (start > 0 && isAsciiLetter(s.charAt(start - 1)))) {
                i++;
                continue;
            }
            while (j < n && isDigit(s.charAt(j))) {
                j++;
            }
            while (j + 1 < n && (s.charAt(j) == '.' || s.charAt(j) == ',') && isDigit(s.charAt(j + 1))) {
                j += 2;
                while (j < n && isDigit(s.charAt(j))) {
                    j++;
                }
            }
            if (out == null) {
                out = new StringBuilder(n);
            }
            out.append(s, copied, start).append("<n>");
            copied = j;
            i = j;
        }
        return out == null ? s : out.append(s, copied, n).toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String template(String message, boolean skip) {
        // each pattern needs characters the message may lack; the masks put in none of them (they are bracketed
        // words), so a pattern that could not match the message cannot match after the others ran either: skip it
        // (this runs for every log record)
        boolean digit = false;
        boolean dot = false;
        boolean slash = false;
        boolean colon = false;
        boolean dash = false;
        boolean control = false;
        boolean hex = false; // a run of hex digits with a digit and a letter a-f, or "0x": the only things HEX matches
        boolean runDigit = false;
        boolean runLetter = false;
        boolean spacing = false; // anything the SPACES pass and strip() would change
        int n = message.length();
        char prev = ' ';
        for (int i = 0; i < n; i++) {
            char c = message.charAt(i);
            boolean isDigit = c >= '0' && c <= '9';
            boolean isHexLetter = (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            digit |= isDigit;
            dot |= c == '.';
            slash |= c == '/';
            colon |= c == ':';
            dash |= c == '-';
            control |= (c < 0x20 && c != '\t') || c == 0x7f;
            if (isDigit || isHexLetter) {
                runDigit |= isDigit;
                runLetter |= isHexLetter;
                hex |= runDigit && runLetter;
            } else {
                runDigit = false;
                runLetter = false;
                hex |= c == 'x' && prev == '0';
            }
            spacing |= (c <= ' ' && c != ' ') || (c == ' ' && prev == ' ' && i > 0);
            prev = c;
        }
        spacing |= n > 0 && (Character.isWhitespace(message.charAt(0)) || Character.isWhitespace(message.charAt(n - 1)));
        if (!skip) {
            digit = dot = slash = colon = dash = control = hex = spacing = true;
        }
        String s = control ? CONTROL.matcher(message).replaceAll(" ") : message;
        s = dash ? UUID.matcher(s).replaceAll("<uuid>") : s;
        s = colon && slash ? URL.matcher(s).replaceAll("<url>") : s;
        s = slash ? PATH.matcher(s).replaceAll("<path>") : s; // before host names: "data.db" in a path is not a host
        s = dot && digit ? IPV4.matcher(s).replaceAll("<ip>") : s;
        s = hex ? HEX.matcher(s).replaceAll("<hex>") : s;
        s = dot ? HOSTNAME.matcher(s).replaceAll("<host>") : s;
        s = digit ? (skip ? maskNumbers(s) : NUMBER.matcher(s).replaceAll("<n>")) : s;
        s = spacing || control ? SPACES.matcher(s).replaceAll(" ").strip() : s;
        return s.length() > MAX_TEMPLATE ? s.substring(0, MAX_TEMPLATE) : s;
    }
}
