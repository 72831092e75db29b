package dev.vigil.fact;

import java.util.Map;
import java.util.Objects;

/**
 * One log record from a service on a host. The body is untrusted text.
 *
 * @param template the body's template when a receiver already computed it (off the engine thread), else null: the
 *                 condense stage then computes it itself
 */
public record LogRecord(String service, String host, Severity severity, String body,
                        Map<String, String> attributes, long timeMillis, String template) implements Telemetry {
    public LogRecord {
        service = Objects.requireNonNullElse(service, "");
        host = Objects.requireNonNullElse(host, "");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(body, "body");
        attributes = Map.copyOf(attributes);
    }

    /** A record not templated yet, as every receiver decodes it. */
    public LogRecord(String service, String host, Severity severity, String body, Map<String, String> attributes,
                     long timeMillis) {
        this(service, host, severity, body, attributes, timeMillis, null);
    }

    /** The same record with its template; the attributes are already an immutable copy, so nothing is copied again. */
    public LogRecord withTemplate(String template) {
        return new LogRecord(service, host, severity, body, attributes, timeMillis, Objects.requireNonNull(template));
    }
}
