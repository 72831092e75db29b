package dev.vigil.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, path-aware access to the fields of one JSON object, where every missing, unknown or mistyped field becomes
 * a {@link BadField} naming its path. Not thread-safe; lives for one line.
 */
final class Fields {
    private final JsonNode node;
    private final String path;

    private Fields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /**
     * The object at {@code path}, which may hold only the {@code allowed} fields.
     *
     * @param expected how the allowed fields are listed in the error ("expected name, labels, value, type")
     */
    static Fields of(JsonNode node, String path, Set<String> allowed, String expected) throws BadField {
        if (!node.isObject()) {
            throw BadField.at(path, "must be an object, was " + Text.describe(node));
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            if (!allowed.contains(name)) {
                throw BadField.at(path, "unknown field " + Text.quote(name) + "; " + expected);
            }
        }
        return new Fields(node, path);
    }

    /** As {@link #of(JsonNode, String, Set, String)}, listing the allowed fields in the given order. */
    static Fields of(JsonNode node, String path, List<String> allowed) throws BadField {
        return of(node, path, Set.copyOf(allowed), "expected " + String.join(", ", allowed));
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return Text.child(path, key);
    }

    boolean has(String key) {
        return node.has(key);
    }

    JsonNode get(String key) {
        return node.get(key);
    }

    JsonNode required(String key) throws BadField {
        JsonNode v = node.get(key);
        if (v == null) {
            throw BadField.at(pathOf(key), "missing required field");
        }
        return v;
    }

    String requiredString(String key) throws BadField {
        return string(pathOf(key), required(key));
    }

    /** The string, or null when the field is absent. */
    String optionalString(String key) throws BadField {
        JsonNode v = node.get(key);
        return v == null ? null : string(pathOf(key), v);
    }

    String requiredNonEmptyString(String key) throws BadField {
        String s = requiredString(key);
        if (s.isEmpty()) {
            throw BadField.at(pathOf(key), "must not be empty");
        }
        return s;
    }

    /** A finite number. */
    double requiredNumber(String key) throws BadField {
        return number(pathOf(key), required(key));
    }

    /** A finite number that is at least zero. */
    double requiredNonNegative(String key) throws BadField {
        double d = requiredNumber(key);
        if (d < 0) {
            throw BadField.at(pathOf(key), "must be >= 0, was " + Text.describe(node.get(key)));
        }
        return d;
    }

    /** The value, one of {@code choices}, exactly as spelled there. */
    String requiredChoice(String key, List<String> choices) throws BadField {
        String s = requiredString(key);
        if (!choices.contains(s)) {
            throw BadField.at(pathOf(key), "must be one of " + String.join(", ", choices) + ", was " + Text.quote(s));
        }
        return s;
    }

    /** An ISO-8601 instant that fits in epoch milliseconds, or null when the field is absent. */
    Instant optionalInstant(String key) throws BadField {
        String s = optionalString(key);
        if (s == null) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(s);
        } catch (DateTimeException e) {
            throw BadField.at(pathOf(key), "must be an ISO-8601 instant such as 2026-03-02T09:00:00Z, was "
                    + Text.quote(s));
        }
        try {
            instant.toEpochMilli();
        } catch (ArithmeticException e) {
            throw BadField.at(pathOf(key), "out of range, was " + Text.quote(s));
        }
        return instant;
    }

    /** An object whose values are all strings; absent gives an empty map when not required. */
    Map<String, String> stringMap(String key, boolean required) throws BadField {
        JsonNode v = required ? required(key) : node.get(key);
        if (v == null) {
            return Map.of();
        }
        String p = pathOf(key);
        if (!v.isObject()) {
            throw BadField.at(p, "must be an object of strings, was " + Text.describe(v));
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            m.put(e.getKey(), string(Text.child(p, e.getKey()), e.getValue()));
        }
        return m;
    }

    /** An object of strings, numbers and booleans, all kept as their text; absent gives an empty map. */
    Map<String, String> attributes(String key) throws BadField {
        JsonNode v = node.get(key);
        if (v == null) {
            return Map.of();
        }
        String p = pathOf(key);
        if (!v.isObject()) {
            throw BadField.at(p, "must be an object, was " + Text.describe(v));
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            JsonNode a = e.getValue();
            if (!(a.isTextual() || a.isNumber() || a.isBoolean())) {
                throw BadField.at(Text.child(p, e.getKey()),
                        "must be a string, number or boolean, was " + Text.describe(a));
            }
            if (a.isNumber() && !Double.isFinite(a.doubleValue())) {
                throw BadField.at(Text.child(p, e.getKey()), "must be a finite number, was " + Text.describe(a));
            }
            m.put(e.getKey(), a.isTextual() ? a.textValue() : a.asText());
        }
        return m;
    }

    /** An array of strings; absent gives an empty list. */
    List<String> stringList(String key) throws BadField {
        JsonNode v = node.get(key);
        if (v == null) {
            return List.of();
        }
        String p = pathOf(key);
        if (!v.isArray()) {
            throw BadField.at(p, "must be a list of strings, was " + Text.describe(v));
        }
        List<String> list = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            list.add(string(p + "[" + i + "]", v.get(i)));
        }
        return list;
    }

    static String string(String path, JsonNode v) throws BadField {
        if (!v.isTextual()) {
            throw BadField.at(path, "must be a string, was " + Text.describe(v));
        }
        return v.textValue();
    }

    static double number(String path, JsonNode v) throws BadField {
        if (!v.isNumber()) {
            throw BadField.at(path, "must be a number, was " + Text.describe(v));
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw BadField.at(path, "must be a finite number, was " + Text.describe(v));
        }
        return d;
    }
}
