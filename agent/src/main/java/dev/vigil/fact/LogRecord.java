package dev.vigil.fact;

import java.util.Map;
import java.util.Objects;

/** One log record from a service on a host. The body is untrusted text. */
public record LogRecord(String service, String host, Severity severity, String body,
                        Map<String, String> attributes, long timeMillis) implements Telemetry {
    public LogRecord {
        service = Objects.requireNonNullElse(service, "");
        host = Objects.requireNonNullElse(host, "");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(body, "body");
        attributes = Map.copyOf(attributes);
    }
}
