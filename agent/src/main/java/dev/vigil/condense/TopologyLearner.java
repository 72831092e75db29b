package dev.vigil.condense;

import dev.vigil.fact.ServiceNode;
import dev.vigil.fact.SpanKind;
import dev.vigil.fact.SpanRecord;
import dev.vigil.fact.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Learns what depends on what from traffic: a client (or producer) span names the server it calls in
 * {@code peer.service} or {@code server.address}, which gives the edge caller → callee. An edge not seen for the
 * time-to-live expires. Configured edges win: a service whose dependencies the configuration lists keeps exactly
 * those. Bounded: at most {@code maxEdges} edges are kept, the least recently seen going first. Not thread-safe: the
 * engine thread owns it.
 */
public final class TopologyLearner {
    private final long ttlMillis;
    private final int maxEdges;
    private final Map<Edge, Long> lastSeen = new LinkedHashMap<>(16, 0.75f, true);
    private Topology configured;

    private record Edge(String from, String to) {
    }

    public TopologyLearner(Topology configured, long ttlMillis, int maxEdges) {
        this.configured = configured;
        this.ttlMillis = ttlMillis;
        this.maxEdges = maxEdges;
    }

    /** Notes the dependency a client span shows, if any; true when the edge is new. */
    public boolean observe(SpanRecord span) {
        if (span.kind() != SpanKind.CLIENT && span.kind() != SpanKind.PRODUCER) {
            return false;
        }
        String peer = span.attribute("peer.service", "server.address", "net.peer.name");
        if (peer == null || span.service().isEmpty()) {
            return false;
        }
        // a server named by host maps to the configured service on that host
        String callee = configured.service(peer).isPresent() ? peer : configured.serviceOfHost(peer).orElse(peer);
        if (callee.equals(span.service())) {
            return false;
        }
        boolean fresh = lastSeen.put(new Edge(span.service(), callee), span.timeMillis()) == null;
        if (lastSeen.size() > maxEdges) {
            var eldest = lastSeen.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        return fresh;
    }

    /** The configured topology with the edges learned and still fresh at {@code nowMillis}. */
    public Topology current(long nowMillis) {
        lastSeen.values().removeIf(seen -> nowMillis - seen > ttlMillis);
        Map<String, ServiceNode> byName = new TreeMap<>();
        configured.services().forEach(s -> byName.put(s.name(), s));
        Map<String, Set<String>> learned = new TreeMap<>();
        for (Edge e : lastSeen.keySet()) {
            learned.computeIfAbsent(e.from(), k -> new TreeSet<>()).add(e.to());
            learned.computeIfAbsent(e.to(), k -> new TreeSet<>());
        }
        learned.forEach((service, deps) -> {
            ServiceNode known = byName.get(service);
            if (known == null) {
                byName.put(service, new ServiceNode(service, "", List.of(), new ArrayList<>(deps)));
            } else if (known.dependsOn().isEmpty() && !deps.isEmpty()) {
                Set<String> merged = new LinkedHashSet<>(deps);
                byName.put(service, new ServiceNode(service, known.kind(), known.hosts(), new ArrayList<>(merged)));
            }
        });
        return new Topology(new ArrayList<>(byName.values()));
    }

    public int learnedEdges() {
        return lastSeen.size();
    }
}
