package dev.vigil.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Rewrites an OTLP/JSON body into protobuf's canonical JSON mapping, walking it with the message descriptor, so that
 * {@code JsonFormat} can read it safely. Immutable, so thread-safe.
 *
 * <ul>
 *   <li>Trace and span ids are hex in OTLP/JSON but base64 in the mapping: they are converted.</li>
 *   <li>Integers (strings or numbers, with fractions or exponents) are checked and written out as plain integers.
 *       JsonFormat expands an unsigned integer such as {@code "1e99999999"} digit by digit, which takes minutes of
 *       CPU for a request of a few bytes; here an integer with more than 20 digits is refused at once.</li>
 *   <li>A number given as a string longer than 64 characters is refused: no int64 or double needs that many, and
 *       parsing megabytes of digits is quadratic.</li>
 * </ul>
 */
final class OtlpJson {
    private static final Set<String> HEX_ID_FIELDS = Set.of("trace_id", "span_id", "parent_span_id");
    private static final int MAX_INTEGER_DIGITS = 20;
    private static final int MAX_NUMBER_CHARS = 64;
    /** Floats kept as decimals, so they are written back exactly as the sender wrote them. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final String what;

    private OtlpJson(String what) {
        this.what = what;
    }

    /** The body as canonical protobuf JSON for a message of {@code type}; {@code what} prefixes error messages. */
    static String toProtoJson(byte[] body, Descriptor type, String what) throws BadPayloadException {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            String reason = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
            throw new BadPayloadException(what + ": invalid json body (" + reason + ")", e);
        }
        if (!(root instanceof ObjectNode object)) {
            throw new BadPayloadException(what + ": json body is not an object");
        }
        return new OtlpJson(what).message(object, type).toString();
    }

    private ObjectNode message(ObjectNode node, Descriptor type) throws BadPayloadException {
        for (FieldDescriptor field : type.getFields()) {
            for (String name : names(field)) {
                JsonNode value = node.get(name);
                if (value instanceof ArrayNode array && field.isRepeated()) {
                    for (int i = 0; i < array.size(); i++) {
                        array.set(i, value(field, array.get(i)));
                    }
                } else if (value != null) {
                    node.set(name, value(field, value));
                }
            }
        }
        return node;
    }

    /** JsonFormat accepts a field under its lowerCamelCase and its proto name. */
    private static List<String> names(FieldDescriptor field) {
        return field.getJsonName().equals(field.getName()) ? List.of(field.getName())
                : List.of(field.getJsonName(), field.getName());
    }

    private JsonNode value(FieldDescriptor field, JsonNode value) throws BadPayloadException {
        return switch (field.getJavaType()) {
            case MESSAGE -> value instanceof ObjectNode object ? message(object, field.getMessageType()) : value;
            case BYTE_STRING -> value.isTextual() && HEX_ID_FIELDS.contains(field.getName())
                    ? hexToBase64(field, value.textValue()) : value;
            case INT, LONG -> integer(field, value);
            // an enum given by name stays a name; one given by number is an integer
            case ENUM -> value.isNumber() || (value.isTextual() && looksNumeric(value.textValue())) ? integer(field, value) : value;
            case FLOAT, DOUBLE -> {
                if (value.isTextual() && value.textValue().length() > MAX_NUMBER_CHARS) {
                    throw bad(field, "is not a number", value.textValue());
                }
                yield value;
            }
            case BOOLEAN, STRING -> value;
        };
    }

    private JsonNode integer(FieldDescriptor field, JsonNode value) throws BadPayloadException {
        if (value.isIntegralNumber() || !(value.isNumber() || value.isTextual())) {
            return value; // already plain, or not a number at all, which JsonFormat reports
        }
        String text = value.asText();
        if (text.length() > MAX_NUMBER_CHARS) {
            throw bad(field, "is not an integer", text);
        }
        BigDecimal decimal;
        try {
            decimal = value.isNumber() ? value.decimalValue() : new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw bad(field, "is not an integer", text);
        }
        decimal = decimal.stripTrailingZeros(); // cheap, and bounds the scale before any exact conversion
        if (decimal.scale() > 0) {
            throw bad(field, "is not an integer", text);
        }
        if (decimal.precision() - decimal.scale() > MAX_INTEGER_DIGITS) {
            throw bad(field, "is out of range", text);
        }
        return BigIntegerNode.valueOf(decimal.toBigIntegerExact());
    }

    private JsonNode hexToBase64(FieldDescriptor field, String hex) throws BadPayloadException {
        try {
            return TextNode.valueOf(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)));
        } catch (IllegalArgumentException e) {
            throw bad(field, "is not hex", hex);
        }
    }

    private static boolean looksNumeric(String s) {
        return !s.isEmpty() && (Character.isDigit(s.charAt(0)) || s.charAt(0) == '-' || s.charAt(0) == '+');
    }

    private BadPayloadException bad(FieldDescriptor field, String problem, String text) {
        String shown = text.length() <= MAX_NUMBER_CHARS ? text : text.substring(0, MAX_NUMBER_CHARS) + "…";
        return new BadPayloadException(what + ": " + field.getJsonName() + " " + problem + ": \"" + shown + "\"");
    }
}
