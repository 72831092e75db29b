package dev.vigil.content;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * A parsed YAML file that remembers the line of every node, so errors can point at the line a governor must fix.
 * Immutable after parsing.
 */
public final class YamlDocument {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);

    private final String file;
    private final JsonNode root;
    private final Map<String, Integer> lines;

    private YamlDocument(String file, JsonNode root, Map<String, Integer> lines) {
        this.file = file;
        this.root = root;
        this.lines = lines;
    }

    /** Parses one YAML document; a syntax error is reported with its line. */
    public static YamlDocument parse(ContentFile content) throws ContentException {
        try {
            JsonNode root = MAPPER.readTree(content.text());
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw new ContentException(new ContentError(content.path(), 1, "", "the file is empty"));
            }
            return new YamlDocument(content.path(), root, lineIndex(content.text()));
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int line = loc == null ? 0 : loc.getLineNr();
            throw new ContentException(new ContentError(content.path(), line, "", "invalid YAML: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ContentException(new ContentError(content.path(), 0, "", "cannot read: " + e.getMessage()));
        }
    }

    public String file() {
        return file;
    }

    public JsonNode root() {
        return root;
    }

    /** The line of the node at a JSON pointer ({@code /evidence/pool-saturated/weight}), or of its nearest parent. */
    public int lineOf(String pointer) {
        String p = pointer == null ? "" : pointer;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int slash = p.lastIndexOf('/');
            if (slash < 0) {
                return 1;
            }
            p = p.substring(0, slash);
        }
    }

    /** Turns a JSON pointer into the dotted field path governors read ({@code evidence.pool-saturated.weight}). */
    public static String fieldOf(String pointer) {
        if (pointer == null || pointer.isEmpty() || pointer.equals("/")) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String part : pointer.substring(1).split("/", -1)) {
            String name = part.replace("~1", "/").replace("~0", "~");
            if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(name).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(name);
            }
        }
        return sb.toString();
    }

    /** An error at a JSON pointer of this document. */
    public ContentError error(String pointer, String message) {
        return new ContentError(file, lineOf(pointer), fieldOf(pointer), message);
    }

    private static Map<String, Integer> lineIndex(String text) throws IOException {
        Map<String, Integer> index = new HashMap<>();
        try (JsonParser p = YAML.createParser(text)) {
            Deque<String> path = new ArrayDeque<>();
            Deque<int[]> arrayIdx = new ArrayDeque<>();
            Deque<Boolean> inArray = new ArrayDeque<>();
            String pendingField = null;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = p.currentTokenLocation().getLineNr();
                if (t == JsonToken.FIELD_NAME) {
                    pendingField = escape(p.currentName());
                    String here = current(path) + "/" + pendingField;
                    index.putIfAbsent(here, line);
                    continue;
                }
                String here;
                if (!inArray.isEmpty() && inArray.peek()) {
                    int[] i = arrayIdx.peek();
                    if (t == JsonToken.END_ARRAY) {
                        here = null;
                    } else {
                        here = current(path) + "/" + i[0]++;
                    }
                } else {
                    here = pendingField == null ? current(path) : current(path) + "/" + pendingField;
                }
                pendingField = null;
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    index.putIfAbsent(here, line);
                    path.push(here);
                    inArray.push(t == JsonToken.START_ARRAY);
                    arrayIdx.push(new int[] {0});
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    path.pop();
                    inArray.pop();
                    arrayIdx.pop();
                } else if (here != null) {
                    index.putIfAbsent(here, line);
                }
            }
        }
        return index;
    }

    private static String current(Deque<String> path) {
        return path.isEmpty() ? "" : path.peek();
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
