package dev.vigil.condense;

import java.util.regex.Pattern;

/**
 * Turns a log message into its template by masking the parts that vary between occurrences: ids, numbers,
 * addresses, host names and paths. Thread-safe and stateless.
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

    /** The template of a message, at most 300 characters, control characters replaced by spaces. */
    public static String template(String message) {
        String s = CONTROL.matcher(message).replaceAll(" ");
        s = UUID.matcher(s).replaceAll("<uuid>");
        s = URL.matcher(s).replaceAll("<url>");
        s = PATH.matcher(s).replaceAll("<path>"); // before host names: "data.db" in a path is not a host
        s = IPV4.matcher(s).replaceAll("<ip>");
        s = HEX.matcher(s).replaceAll("<hex>");
        s = HOSTNAME.matcher(s).replaceAll("<host>");
        s = NUMBER.matcher(s).replaceAll("<n>");
        s = SPACES.matcher(s).replaceAll(" ").strip();
        return s.length() > MAX_TEMPLATE ? s.substring(0, MAX_TEMPLATE) : s;
    }
}
