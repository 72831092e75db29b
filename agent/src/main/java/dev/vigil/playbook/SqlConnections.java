package dev.vigil.playbook;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The named PostgreSQL connections {@code sql} steps may use, built once from config; none by default. Immutable. */
public record SqlConnections(Map<String, SqlConnection> byName) {
    public SqlConnections {
        byName = Collections.unmodifiableMap(new TreeMap<>(byName));
        byName.forEach((name, c) -> {
            if (!name.equals(c.name())) {
                throw new IllegalArgumentException("sql connection " + Quote.quote(name) + " holds connection " + c.name());
            }
        });
    }

    public static SqlConnections none() {
        return new SqlConnections(Map.of());
    }

    public static SqlConnections of(List<SqlConnection> connections) {
        Map<String, SqlConnection> map = new TreeMap<>();
        for (SqlConnection c : connections) {
            if (map.put(c.name(), c) != null) {
                throw new IllegalArgumentException("sql connection " + c.name() + " is configured twice");
            }
        }
        return new SqlConnections(map);
    }

    public Optional<SqlConnection> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
