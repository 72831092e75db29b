package dev.vigil.audit;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The record format: how a record is written, hashed, read back and checked on its own; stateless and thread-safe.
 *
 * <p>The writer and the verifier share this class, so a record the journal writes is by construction one the
 * verifier accepts. A record's line is its canonical body with {@code ,"hash":"…"} inserted before the closing
 * brace; the hash covers the body's UTF-8 bytes.
 */
final class Canonical {

    static final String GENESIS = "0".repeat(64);
    static final List<String> FIELDS = List.of("seq", "time", "type", "data", "prev", "hash");

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final HexFormat HEX = HexFormat.of();
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT)
            .withZone(ZoneOffset.UTC);

    private static final JsonMapper MAPPER = JsonMapper.builder(
                    new JsonFactoryBuilder().characterEscapes(new LineSafeEscapes()).build())
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Canonical() {
    }

    /** The instant as written in {@code time}: ISO-8601 UTC, truncated to milliseconds. */
    static String time(Instant instant) {
        return TIME.format(instant);
    }

    /**
     * The data as it will be written: converted by Jackson, object keys sorted at every level, and numbers in the
     * form they read back as (a {@code BigDecimal 1.10} becomes {@code 1.1}), so that reading the record back and
     * writing it again gives the same bytes.
     *
     * @throws IllegalArgumentException if the data cannot be written as JSON or would not read back
     */
    static ObjectNode data(Map<String, ?> data) {
        JsonNode tree;
        try {
            tree = MAPPER.valueToTree(data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("audit data cannot be written as JSON: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new IllegalArgumentException("audit data cannot be written as JSON: it nests too deeply or refers to itself");
        }
        // Wrapped in one object so that nesting limits apply at the depth the data has inside a record.
        ObjectNode wrapped = MAPPER.createObjectNode();
        wrapped.set("data", sorted(tree));
        String first = write(wrapped);
        JsonNode read = readBack(first);
        String second = write(read);
        if (!second.equals(first) && !write(readBack(second)).equals(second)) {
            throw new IllegalArgumentException("audit data has no stable JSON form: " + sanitize(second, 200));
        }
        return (ObjectNode) read.get("data");
    }

    /** Strict UTF-8: malformed bytes are an error, not a replacement character. */
    static String decode(byte[] bytes, int length) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
    }

    /** The canonical JSON of a record without its hash: fixed field order, no whitespace, data keys sorted. */
    static String body(long seq, String time, String type, JsonNode data, String prev) {
        ObjectNode envelope = MAPPER.createObjectNode();
        envelope.put("seq", seq);
        envelope.put("time", time);
        envelope.put("type", type);
        envelope.set("data", data);
        envelope.put("prev", prev);
        return write(envelope);
    }

    /** The hex SHA-256 of the body's UTF-8 bytes. The body never holds a surrogate, so the bytes are exact. */
    static String hash(String body) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HEX.formatHex(sha256.digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The record's line (without the line break): the body with the hash as its last field. */
    static String line(String body, String hash) {
        return body.substring(0, body.length() - 1) + ",\"hash\":\"" + hash + "\"}";
    }

    /**
     * Reads one line as a record and checks it on its own: JSON, exactly the six fields in order, their types,
     * the hash against the content, and the canonical form. The chain (seq, prev) is the caller's to check.
     *
     * @throws BadRecord with the reason when the line is not a sound record
     */
    static AuditRecord parse(String line) throws BadRecord {
        if (line.isBlank()) {
            throw new BadRecord("empty line", false);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new BadRecord("not valid JSON: " + sanitize(e.getOriginalMessage(), 160), true);
        }
        if (node == null || !node.isObject()) {
            throw new BadRecord("not a JSON object", false);
        }
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        if (!names.equals(FIELDS)) {
            throw new BadRecord("fields are " + quoted(names) + ", expected " + FIELDS + " in that order", false);
        }
        JsonNode seqNode = node.get("seq");
        if (!seqNode.isIntegralNumber() || !seqNode.canConvertToLong() || seqNode.longValue() < 1) {
            throw new BadRecord("seq is not a positive integer: " + sanitize(seqNode.toString(), 40), false);
        }
        String time = text(node, "time");
        if (!isTime(time)) {
            throw new BadRecord("time is not ISO-8601 UTC with milliseconds: " + sanitize(time, 40), false);
        }
        String type = text(node, "type");
        if (type.isBlank()) {
            throw new BadRecord("type is blank", false);
        }
        JsonNode data = node.get("data");
        if (!data.isObject()) {
            throw new BadRecord("data is not a JSON object", false);
        }
        String prev = hex(node, "prev");
        String hash = hex(node, "hash");
        JsonNode canonicalData = sorted(data);
        String body = body(seqNode.longValue(), time, type, canonicalData, prev);
        String computed = hash(body);
        if (!computed.equals(hash)) {
            throw new BadRecord("hash mismatch: the record says " + hash + " but its content hashes to " + computed
                    + " (record modified)", false);
        }
        if (!line(body, hash).equals(line)) {
            throw new BadRecord("not in canonical form (whitespace, key order or the way a value is written differs)",
                    false);
        }
        return new AuditRecord(seqNode.longValue(), time, type, canonicalData, prev, hash);
    }

    /** A line that is not a sound record on its own, and whether it failed already as JSON. */
    static final class BadRecord extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean unreadable;

        BadRecord(String reason, boolean unreadable) {
            super(reason, null, false, false);
            this.unreadable = unreadable;
        }

        /** Whether the line is not even a JSON object: what a torn write leaves behind. */
        boolean unreadable() {
            return unreadable;
        }
    }

    /** Text safe to show on a terminal: control and line-separator characters become '?', at most max chars. */
    static String sanitize(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max + 3));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            boolean unsafe = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                    || Character.isSurrogate(c);
            out.append(unsafe ? '?' : c);
        }
        if (text.length() > max) {
            out.append("...");
        }
        return out.toString();
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = MAPPER.createObjectNode();
            for (String name : new TreeSet<>(iterable(node.fieldNames()))) {
                out.set(name, sorted(node.get(name)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = MAPPER.createArrayNode();
            for (JsonNode element : node) {
                out.add(sorted(element));
            }
            return out;
        }
        return node;
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit data cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode readBack(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit data would not read back as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static boolean isTime(String text) {
        try {
            return TIME.format(TIME.parse(text, Instant::from)).equals(text);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String text(JsonNode record, String field) throws BadRecord {
        JsonNode value = record.get(field);
        if (!value.isTextual()) {
            throw new BadRecord(field + " is not a string: " + sanitize(value.toString(), 40), false);
        }
        return value.textValue();
    }

    private static String hex(JsonNode record, String field) throws BadRecord {
        String value = text(record, field);
        if (!HEX64.matcher(value).matches()) {
            throw new BadRecord(field + " is not 64 lowercase hex digits: " + sanitize(value, 70), false);
        }
        return value;
    }

    private static String quoted(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            out.add(sanitize(name, 40));
        }
        return out.toString();
    }

    /**
     * JSON escaping that keeps a record on one line for every reader: besides what JSON requires (quotes,
     * backslash, control characters including CR and LF), it escapes NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR
     * (line breaks to some readers) and every surrogate, so an unpaired surrogate from telemetry survives the
     * round trip instead of turning into '?' when encoded as UTF-8.
     */
    private static final class LineSafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private static final int[] ASCII = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == 0x85 || ch == 0x2028 || ch == 0x2029 || (ch >= Character.MIN_SURROGATE && ch <= Character.MAX_SURROGATE)) {
                return new SerializedString(String.format(Locale.ROOT, "\\u%04X", ch));
            }
            return null;
        }
    }
}
