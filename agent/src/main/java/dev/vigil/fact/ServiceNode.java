package dev.vigil.fact;

import java.util.List;
import java.util.Objects;

/** One service of the topology: its kind (postgres, redis, …), its hosts and what it depends on. */
public record ServiceNode(String name, String kind, List<String> hosts, List<String> dependsOn) {
    public ServiceNode {
        Objects.requireNonNull(name, "name");
        kind = Objects.requireNonNullElse(kind, "");
        hosts = List.copyOf(hosts);
        dependsOn = List.copyOf(dependsOn);
    }

    public boolean dependsOn(String service) {
        return dependsOn.contains(service);
    }
}
