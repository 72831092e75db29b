package dev.vigil.fact;

import java.util.Map;
import java.util.Objects;

/** A change in the environment: a deploy, a config change, a scale, a restart, a node drain. */
public record ChangeEvent(ChangeType type, String service, String host, String version,
                          Map<String, String> attributes, long timeMillis) implements Telemetry {
    public ChangeEvent {
        Objects.requireNonNull(type, "type");
        service = Objects.requireNonNullElse(service, "");
        host = Objects.requireNonNullElse(host, "");
        version = Objects.requireNonNullElse(version, "");
        attributes = Map.copyOf(attributes);
    }

    /** True when this deploy rolled the service back (so it must never be rolled back again). */
    public boolean isRollback() {
        String kind = attributes.getOrDefault("kind", "") + " " + attributes.getOrDefault("reason", "");
        return Boolean.parseBoolean(attributes.get("rollback")) || kind.toLowerCase(java.util.Locale.ROOT).contains("rollback");
    }
}
