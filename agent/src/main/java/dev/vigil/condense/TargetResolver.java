package dev.vigil.condense;

import dev.vigil.fact.Labels;
import dev.vigil.fact.Topology;
import java.util.regex.Pattern;

/**
 * Names the service and host a series belongs to: the {@code service} and {@code host} labels where present, else
 * {@code job} and {@code instance} (without its port), else the topology's owner of the host. Thread-safe.
 */
final class TargetResolver {
    private static final Pattern HOST_PORT = Pattern.compile("^([A-Za-z0-9.-]+|\\[[0-9a-fA-F:]+]):\\d{1,5}$");

    private volatile Topology topology = Topology.EMPTY;

    void topology(Topology t) {
        topology = t;
    }

    String host(Labels labels) {
        String host = labels.get("host");
        if (host != null && !host.isEmpty()) {
            return host;
        }
        String instance = labels.get("instance");
        if (instance == null || instance.isEmpty()) {
            return "";
        }
        var m = HOST_PORT.matcher(instance);
        if (m.matches()) {
            return m.group(1);
        }
        // a probe target such as https://api.example.com is not a host
        return instance.contains("/") ? "" : instance;
    }

    String service(Labels labels, String host) {
        String service = labels.get("service");
        if (service != null && !service.isEmpty()) {
            return service;
        }
        String job = labels.get("job");
        if (job != null && !job.isEmpty()) {
            return job;
        }
        return serviceOfHost(host);
    }

    String serviceOfHost(String host) {
        return host.isEmpty() ? "" : topology.serviceOfHost(host).orElse("");
    }
}
