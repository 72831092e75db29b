package dev.vigil.scenario;

import com.fasterxml.jackson.databind.JsonNode;

/** Printing untrusted text inside error messages: escaped, so it cannot forge output, and shortened. Stateless. */
final class Text {
    static final int MAX_QUOTED = 64;

    private Text() {
    }

    /** {@code "value"}, JSON-escaped, control and format characters escaped, cut after {@value #MAX_QUOTED}. */
    static String quote(String s) {
        return '"' + escape(s, MAX_QUOTED, true) + '"';
    }

    /** Text from a library (a Jackson reason) made safe to print on one line. */
    static String clean(String s, int max) {
        return escape(s == null ? "" : s, max, false);
    }

    /** How a JSON value is shown after "was": strings quoted, scalars as written, containers by kind. */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        if (node.isTextual()) {
            return quote(node.textValue());
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        return clean(node.asText(), MAX_QUOTED);
    }

    /** A field name as part of a path: bare when it is an identifier, else {@code ["quoted"]}. */
    static String child(String path, String key) {
        if (key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return path.isEmpty() ? key : path + "." + key;
        }
        return path + "[" + quote(key) + "]";
    }

    private static String escape(String s, int max, boolean json) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 8);
        int shown = 0;
        for (int i = 0; i < s.length(); ) {
            if (shown == max) {
                return sb.append('…').toString();
            }
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            shown++;
            switch (cp) {
                case '"' -> sb.append(json ? "\\\"" : "\"");
                case '\\' -> sb.append(json ? "\\\\" : "\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    int type = Character.getType(cp);
                    if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                            || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                            || type == Character.UNASSIGNED || type == Character.PRIVATE_USE) {
                        for (char c : Character.toChars(cp)) {
                            sb.append(String.format("\\u%04x", (int) c));
                        }
                    } else {
                        sb.appendCodePoint(cp);
                    }
                }
            }
        }
        return sb.toString();
    }
}
