package dev.vigil.fact;

import java.util.Map;
import java.util.Objects;

/** One finished span. Attribute values are kept as strings: they are untrusted text. */
public record SpanRecord(String service, String name, SpanKind kind, double durationMs, SpanStatus status,
                         String traceId, String spanId, String parentSpanId,
                         Map<String, String> attributes, long timeMillis) implements Telemetry {
    public SpanRecord {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        attributes = Map.copyOf(attributes);
    }

    /** The first present attribute of the given names (for semantic-convention renames such as db.system). */
    public String attribute(String... names) {
        for (String n : names) {
            String v = attributes.get(n);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }
}
