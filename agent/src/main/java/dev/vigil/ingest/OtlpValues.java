package dev.vigil.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;
import java.util.List;

/**
 * OTLP attribute values as text, the way the collector's {@code AsString} renders them: strings as they are, numbers
 * and booleans plainly, bytes as base64, arrays and maps as JSON. Stateless.
 */
final class OtlpValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OtlpValues() {
    }

    static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> PromNames.formatFloat(v.getDoubleValue());
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
            case ARRAY_VALUE, KVLIST_VALUE -> json(v).toString();
            case VALUE_NOT_SET -> "";
        };
    }

    /** A record's or span's attributes, keys as given. */
    static LabelCollector attributes(List<KeyValue> attributes) {
        LabelCollector out = new LabelCollector();
        for (KeyValue kv : attributes) {
            out.add(kv.getKey(), text(kv.getValue()));
        }
        return out;
    }

    private static JsonNode json(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> NODES.textNode(v.getStringValue());
            case BOOL_VALUE -> NODES.booleanNode(v.getBoolValue());
            case INT_VALUE -> NODES.numberNode(v.getIntValue());
            case DOUBLE_VALUE -> NODES.numberNode(v.getDoubleValue());
            case BYTES_VALUE -> NODES.textNode(text(v));
            case ARRAY_VALUE -> {
                ArrayNode array = NODES.arrayNode();
                v.getArrayValue().getValuesList().forEach(e -> array.add(json(e)));
                yield array;
            }
            case KVLIST_VALUE -> {
                ObjectNode object = NODES.objectNode();
                v.getKvlistValue().getValuesList().forEach(kv -> object.set(kv.getKey(), json(kv.getValue())));
                yield object;
            }
            case VALUE_NOT_SET -> NODES.nullNode();
        };
    }
}
