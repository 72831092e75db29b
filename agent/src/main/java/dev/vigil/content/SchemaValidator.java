package dev.vigil.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Validates YAML content against a JSON Schema (draft 2020-12) from the classpath. Thread-safe. */
public final class SchemaValidator {
    private final JsonSchema schema;

    private SchemaValidator(JsonSchema schema) {
        this.schema = schema;
    }

    /** Loads a schema bundled with Vigil, for example {@code /dev/vigil/signature/signature.schema.json}. */
    public static SchemaValidator fromClasspath(String resource) {
        try (InputStream in = SchemaValidator.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema not found on the classpath: " + resource);
            }
            JsonNode node = new ObjectMapper().readTree(in);
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
            return new SchemaValidator(factory.getSchema(node));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + resource, e);
        }
    }

    /** Every schema violation of the document, in line order; empty when it is valid. */
    public List<ContentError> validate(YamlDocument doc) {
        Set<ValidationMessage> messages = schema.validate(doc.root());
        List<ContentError> errors = new ArrayList<>();
        for (ValidationMessage m : messages) {
            String pointer = m.getInstanceLocation() == null ? "" : m.getInstanceLocation().toString();
            pointer = toPointer(pointer);
            String text = m.getMessage();
            // networknt prefixes the message with the instance path ("$.evidence: ..."): keep the words only
            int colon = text.indexOf(": ");
            if (text.startsWith("$") && colon > 0) {
                text = text.substring(colon + 2);
            }
            errors.add(doc.error(pointer, text));
        }
        errors.sort(Comparator.comparingInt(ContentError::line).thenComparing(ContentError::field));
        return errors;
    }

    /** networknt reports locations as JSONPath ({@code $.evidence['pool-saturated'].weight}); turn them into pointers. */
    static String toPointer(String path) {
        if (path.isEmpty() || path.equals("$")) {
            return "";
        }
        if (path.startsWith("/")) {
            return path;
        }
        StringBuilder sb = new StringBuilder();
        int i = path.startsWith("$") ? 1 : 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                int j = i + 1;
                while (j < path.length() && path.charAt(j) != '.' && path.charAt(j) != '[') {
                    j++;
                }
                sb.append('/').append(path, i + 1, j);
                i = j;
            } else if (c == '[') {
                int j = path.indexOf(']', i);
                if (j < 0) {
                    break;
                }
                String inner = path.substring(i + 1, j);
                if (inner.startsWith("'") && inner.endsWith("'") && inner.length() >= 2) {
                    inner = inner.substring(1, inner.length() - 1);
                }
                sb.append('/').append(inner.replace("~", "~0").replace("/", "~1"));
                i = j + 1;
            } else {
                i++;
            }
        }
        return sb.toString();
    }
}
