package dev.vigil.ingest;

import dev.vigil.fact.LogRecord;
import dev.vigil.fact.Severity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one syslog message into a {@link LogRecord}: RFC 5424, or the RFC 3164 ("BSD") form rsyslog forwards unless
 * told to use {@code RSYSLOG_SyslogProtocol23Format}. Stateless and thread-safe.
 *
 * <p>The record's service is APP-NAME (the TAG in RFC 3164), its host HOSTNAME, its severity PRI's severity; its
 * attributes are {@code facility} (by name), {@code procid}, {@code msgid} and each structured-data parameter as
 * {@code sd.<SD-ID>.<PARAM-NAME>}. An RFC 3164 timestamp has neither year nor zone, so such a record is dated when it was
 * received; the RFC 3339 timestamp of rsyslog's {@code RSYSLOG_ForwardFormat} is used as sent.
 */
public final class SyslogParser {
    private static final String[] FACILITIES = {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
            "uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock",
            "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"};
    private static final Pattern BSD_TIMESTAMP =
            Pattern.compile("(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\\d{1,2} \\d\\d:\\d\\d:\\d\\d ");
    private static final int MAX_TAG_BYTES = 48;
    private static final int MAX_PROCID_BYTES = 128;

    private SyslogParser() {
    }

    /**
     * Parses one message (one frame, without framing).
     *
     * @throws BadPayloadException naming what was wrong: a malformed header, invalid UTF-8 in MSG or structured data,
     *                             or a field or attribute over the label limits
     */
    public static LogRecord parse(byte[] message, IngestLimits limits, long receivedMillis) throws BadPayloadException {
        Cursor in = new Cursor(message);
        int pri = in.pri();
        Map<String, String> attributes = new TreeMap<>();
        Header h = in.skip("1 ") ? rfc5424(in, attributes, receivedMillis) : rfc3164(in, receivedMillis);
        attributes.put("facility", FACILITIES[pri >> 3]);
        if (h.procid() != null) {
            attributes.put("procid", h.procid());
        }
        if (h.msgid() != null) {
            attributes.put("msgid", h.msgid());
        }
        String refused = LabelCheck.violation(attributes, limits);
        if (refused != null) {
            throw new BadPayloadException("syslog: attributes refused: " + refused);
        }
        if (Utf8Bytes.byteLength(h.host()) > limits.maxLabelValueBytes()
                || Utf8Bytes.byteLength(h.app()) > limits.maxLabelValueBytes()) {
            throw new BadPayloadException("syslog: HOSTNAME or APP-NAME longer than " + limits.maxLabelValueBytes());
        }
        String body = body(message, in.pos, limits.maxLogBodyBytes(), attributes);
        return new LogRecord(h.app(), h.host(), severity(pri & 7), body, attributes, h.timeMillis());
    }

    /** The fields before MSG; null procid or msgid when absent. */
    private record Header(long timeMillis, String host, String app, String procid, String msgid) {
    }

    /** RFC 3164's TAG: the program's name and, when given, its pid (else null). */
    private record Tag(String name, String pid) {
        static final Tag NONE = new Tag("", null);
    }

    private static Header rfc5424(Cursor in, Map<String, String> attributes, long receivedMillis)
            throws BadPayloadException {
        String timestamp = in.token("TIMESTAMP");
        long time = timestamp.equals("-") ? receivedMillis : rfc3339(timestamp);
        String host = nil(in.token("HOSTNAME"));
        String app = nil(in.token("APP-NAME"));
        String procid = nil(in.token("PROCID"));
        String msgid = nil(in.token("MSGID"));
        structuredData(in, attributes);
        if (!in.atEnd() && !in.skip(" ")) {
            throw new BadPayloadException("syslog: expected a space between STRUCTURED-DATA and MSG");
        }
        return new Header(time, host == null ? "" : host, app == null ? "" : app, procid, msgid);
    }

    private static Header rfc3164(Cursor in, long receivedMillis) throws BadPayloadException {
        long time;
        if (in.skipMatch(BSD_TIMESTAMP)) {
            time = receivedMillis;
        } else if (!in.atEnd() && Character.isDigit(in.peek())) {
            time = rfc3339(in.token("TIMESTAMP"));
        } else {
            throw new BadPayloadException("syslog: neither RFC 5424 (\"1 \" after PRI) nor an RFC 3164 timestamp");
        }
        int beforeHost = in.pos;
        String host = in.token("HOSTNAME");
        if (host.endsWith(":") || host.contains("[")) {
            in.pos = beforeHost; // no HOSTNAME (a local sender): this word is already the TAG
            host = "";
        }
        Tag tag = in.tag();
        return new Header(time, host, tag.name(), tag.pid(), null);
    }

    /** {@code -} or one or more {@code [SD-ID *(SP PARAM-NAME="PARAM-VALUE")]}. */
    private static void structuredData(Cursor in, Map<String, String> attributes) throws BadPayloadException {
        if (in.skip("-")) {
            return;
        }
        if (in.atEnd() || in.peek() != '[') {
            throw new BadPayloadException("syslog: malformed STRUCTURED-DATA");
        }
        while (!in.atEnd() && in.peek() == '[') {
            in.pos++;
            String id = in.sdName("SD-ID");
            while (in.skip(" ")) {
                String name = in.sdName("PARAM-NAME");
                in.expect('=');
                in.expect('"');
                attributes.put("sd." + id + "." + name, in.paramValue());
            }
            in.expect(']');
        }
    }

    /** MSG: an optional BOM, then UTF-8; trailing line ends dropped; cut on a character boundary when too long. */
    private static String body(byte[] msg, int from, int maxBytes, Map<String, String> attributes)
            throws BadPayloadException {
        int to = msg.length;
        while (to > from && (msg[to - 1] == '\n' || msg[to - 1] == '\r' || msg[to - 1] == 0)) {
            to--;
        }
        if (to - from >= 3 && (msg[from] & 0xff) == 0xEF && (msg[from + 1] & 0xff) == 0xBB
                && (msg[from + 2] & 0xff) == 0xBF) {
            from += 3;
        }
        try {
            String body = Utf8Bytes.decodeStrict(msg, from, to - from);
            if (to - from <= maxBytes) {
                return body;
            }
            attributes.put(LabelCheck.TRUNCATED, "true");
            return Utf8Bytes.decodeStrict(msg, from, Utf8Bytes.cut(msg, from, to - from, maxBytes));
        } catch (CharacterCodingException e) {
            throw new BadPayloadException("syslog: invalid UTF-8 in MSG", e);
        }
    }

    private static long rfc3339(String timestamp) throws BadPayloadException {
        try {
            return OffsetDateTime.parse(timestamp).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new BadPayloadException("syslog: invalid TIMESTAMP " + timestamp);
        }
    }

    private static String nil(String field) {
        return field.equals("-") ? null : field;
    }

    private static Severity severity(int code) {
        return switch (code) {
            case 0, 1, 2 -> Severity.FATAL; // emerg, alert, crit
            case 3 -> Severity.ERROR;
            case 4 -> Severity.WARN;
            case 5, 6 -> Severity.INFO; // notice, info
            default -> Severity.DEBUG;
        };
    }

    /** A cursor over the message's bytes. The header is ASCII; only values and MSG may be UTF-8. */
    private static final class Cursor {
        private final byte[] b;
        private int pos;

        Cursor(byte[] b) {
            this.b = b;
        }

        boolean atEnd() {
            return pos >= b.length;
        }

        char peek() {
            return (char) (b[pos] & 0xff);
        }

        boolean skip(String ascii) {
            if (b.length - pos < ascii.length()) {
                return false;
            }
            for (int i = 0; i < ascii.length(); i++) {
                if (b[pos + i] != ascii.charAt(i)) {
                    return false;
                }
            }
            pos += ascii.length();
            return true;
        }

        boolean skipMatch(Pattern p) {
            Matcher m = p.matcher(new String(b, pos, Math.min(b.length - pos, 24), StandardCharsets.ISO_8859_1));
            if (!m.lookingAt()) {
                return false;
            }
            pos += m.end();
            return true;
        }

        void expect(char c) throws BadPayloadException {
            if (atEnd() || peek() != c) {
                throw new BadPayloadException("syslog: malformed STRUCTURED-DATA, expected '" + c + "'");
            }
            pos++;
        }

        /** {@code <PRIVAL>}: facility * 8 + severity, at most 191. */
        int pri() throws BadPayloadException {
            int start = pos;
            if (skip("<")) {
                int value = 0;
                while (!atEnd() && Character.isDigit(peek()) && pos - start <= 3) {
                    value = value * 10 + (b[pos++] - '0');
                }
                if (pos > start + 1 && skip(">") && value <= 191) {
                    return value;
                }
            }
            throw new BadPayloadException("syslog: missing or invalid PRI");
        }

        /** A header field of printable ASCII, and the single space after it. */
        String token(String field) throws BadPayloadException {
            int start = pos;
            while (!atEnd() && b[pos] >= 33 && b[pos] <= 126) {
                pos++;
            }
            if (pos == start || !skip(" ")) {
                throw new BadPayloadException("syslog: malformed " + field);
            }
            return new String(b, start, pos - 1 - start, StandardCharsets.US_ASCII);
        }

        /** An SD-ID or PARAM-NAME: printable ASCII except '=', ' ', ']' and '"'. */
        String sdName(String field) throws BadPayloadException {
            int start = pos;
            while (!atEnd() && b[pos] >= 33 && b[pos] <= 126 && b[pos] != '=' && b[pos] != ']' && b[pos] != '"') {
                pos++;
            }
            if (pos == start) {
                throw new BadPayloadException("syslog: malformed STRUCTURED-DATA, empty " + field);
            }
            return new String(b, start, pos - start, StandardCharsets.US_ASCII);
        }

        /** A PARAM-VALUE after its opening quote, through the closing one; {@code \"}, {@code \\}, {@code \]} unescaped. */
        String paramValue() throws BadPayloadException {
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            while (!atEnd()) {
                byte c = b[pos++];
                if (c == '"') {
                    try {
                        return Utf8Bytes.decodeStrict(value.toByteArray(), 0, value.size());
                    } catch (CharacterCodingException e) {
                        throw new BadPayloadException("syslog: invalid UTF-8 in STRUCTURED-DATA", e);
                    }
                }
                if (c == '\\' && !atEnd() && (b[pos] == '"' || b[pos] == '\\' || b[pos] == ']')) {
                    c = b[pos++];
                }
                value.write(c); // any other backslash is text (RFC 5424, 6.3.3)
            }
            throw new BadPayloadException("syslog: malformed STRUCTURED-DATA, unterminated PARAM-VALUE");
        }

        /** RFC 3164's TAG: {@code name[pid]: }, {@code name: } or absent (then MSG starts at once). */
        Tag tag() {
            int start = pos;
            int i = pos;
            while (i < b.length && i - start < MAX_TAG_BYTES && b[i] >= 33 && b[i] <= 126 && b[i] != '[' && b[i] != ':') {
                i++;
            }
            if (i == start || i >= b.length || (b[i] != '[' && b[i] != ':')) {
                return Tag.NONE;
            }
            String name = new String(b, start, i - start, StandardCharsets.US_ASCII);
            String pid = null;
            if (b[i] == '[') {
                int close = i + 1;
                while (close < b.length && close - i <= MAX_PROCID_BYTES && b[close] >= 33 && b[close] <= 126
                        && b[close] != ']') {
                    close++;
                }
                if (close >= b.length || b[close] != ']') {
                    return Tag.NONE;
                }
                pid = new String(b, i + 1, close - i - 1, StandardCharsets.US_ASCII);
                i = close + 1;
            }
            if (i < b.length && b[i] == ':') {
                i++;
            }
            if (i < b.length && b[i] == ' ') {
                i++;
            }
            pos = i;
            return new Tag(name, pid);
        }
    }
}
