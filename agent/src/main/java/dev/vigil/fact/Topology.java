package dev.vigil.fact;

import java.util.List;
import java.util.Optional;

/** What depends on what: the services, their hosts and their dependencies. Immutable. */
public record Topology(List<ServiceNode> services) {
    public static final Topology EMPTY = new Topology(List.of());

    public Topology {
        services = List.copyOf(services);
    }

    public Optional<ServiceNode> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The service a host belongs to, when exactly one does. */
    public Optional<String> serviceOfHost(String host) {
        List<String> owners = services.stream().filter(s -> s.hosts().contains(host)).map(ServiceNode::name).toList();
        return owners.size() == 1 ? Optional.of(owners.get(0)) : Optional.empty();
    }
}
