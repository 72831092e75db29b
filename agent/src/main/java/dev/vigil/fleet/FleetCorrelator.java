package dev.vigil.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.kie.api.KieBase;
import org.kie.api.io.ResourceType;
import org.kie.api.runtime.KieSession;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.io.ResourceFactory;

/**
 * The fleet correlator's reasoning: a small Drools rule base ({@code correlator.drl}) over every agent's open
 * diagnoses and the topology's {@code depends_on} edges, which finds dependencies seen failing from many dependents,
 * and the holds and incidents that follow. Each {@link #correlate} runs a fresh session, so a new leader concludes
 * exactly what the old one did from the same diagnoses. Thread-safe (the rule base is shared, sessions are not).
 */
public final class FleetCorrelator {
    /** One dependency and the services that depend on it (inverted {@code depends_on}). Immutable. */
    public record Dependency(String name, Set<String> dependents) {
        public Dependency {
            dependents = Set.copyOf(dependents);
        }
    }

    /**
     * When the rules conclude. Immutable.
     *
     * @param dependents distinct dependent services with open diagnoses that make their dependency suspect
     * @param hosts      distinct hosts of one service with the same signature open that make it a shared cause
     */
    public record Threshold(int dependents, int hosts) {
    }

    /** One signature open on many hosts of one service. Immutable. */
    public record SharedSignature(String signature, String service, SortedSet<String> hosts) {
        public SharedSignature {
            hosts = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(hosts));
        }
    }

    /** A dependency suspected down, and the dependents whose diagnoses point at it. Immutable. */
    public record SuspectedOutage(String dependency, SortedSet<String> dependents) {
        public SuspectedOutage {
            dependents = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(dependents));
        }
    }

    /** What the correlator concluded: the holds to put in place and one incident per suspected outage. Immutable. */
    public record Conclusion(List<Hold> holds, List<Incident> incidents) {
        public Conclusion {
            holds = List.copyOf(holds);
            incidents = List.copyOf(incidents);
        }
    }

    /**
     * A fleet incident the correlator raises for one suspected outage or shared cause.
     *
     * @param id         deterministic for the fleet, what it is about and the time bucket: a new leader raises the same
     *                   one, and a shared cause gets the id the agents' own shared-cause refusals raise
     * @param signature  {@code dependency-outage}, or the shared signature
     * @param service    the dependency suspected down, or the service of the shared signature
     * @param dependents the dependents whose diagnoses point at the dependency (empty for a shared cause)
     */
    public record Incident(String id, String signature, String service, List<String> dependents, List<String> hosts,
                           String summary) {
        public Incident {
            dependents = List.copyOf(dependents);
            hosts = List.copyOf(hosts);
        }
    }

    private final KieBase rules;
    private final Threshold threshold;

    /**
     * @param minDependents this many distinct dependent services (or more) with open diagnoses make an outage; >= 2
     * @param minHosts      this many distinct hosts of a service with one signature open make a shared cause; >= 2
     */
    public FleetCorrelator(int minDependents, int minHosts) {
        if (minDependents < 2 || minHosts < 2) {
            throw new IllegalArgumentException("the correlator needs at least 2 dependents and 2 hosts to see a shared cause, was "
                    + minDependents + " dependents, " + minHosts + " hosts");
        }
        this.threshold = new Threshold(minDependents, minHosts);
        KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder();
        builder.add(ResourceFactory.newByteArrayResource(drl().getBytes(StandardCharsets.UTF_8))
                .setSourcePath("dev/vigil/fleet/correlator.drl"), ResourceType.DRL);
        if (builder.hasErrors()) {
            throw new IllegalStateException("the built-in correlator rules do not compile: " + builder.getErrors());
        }
        KieBase base = builder.newKieBase();
        this.rules = base;
    }

    /**
     * What the fleet's open diagnoses mean, given what depends on what.
     *
     * @param dependsOn service to the services it depends on (the topology's {@code depends_on})
     */
    public Conclusion correlate(String fleet, Collection<OpenDiagnosis> open, Map<String, List<String>> dependsOn, long nowMillis) {
        Map<String, Set<String>> dependents = new TreeMap<>();
        dependsOn.forEach((service, deps) -> deps.forEach(d -> dependents.computeIfAbsent(d, k -> new TreeSet<>()).add(service)));
        List<SuspectedOutage> outages = new ArrayList<>();
        List<SharedSignature> shared = new ArrayList<>();
        KieSession session = rules.newKieSession();
        try {
            session.insert(threshold);
            dependents.forEach((name, of) -> session.insert(new Dependency(name, of)));
            open.forEach(session::insert);
            session.fireAllRules();
            for (Object o : session.getObjects(o -> o instanceof SuspectedOutage)) {
                outages.add((SuspectedOutage) o);
            }
            for (Object o : session.getObjects(o -> o instanceof SharedSignature)) {
                shared.add((SharedSignature) o);
            }
        } finally {
            session.dispose();
        }
        outages.sort(java.util.Comparator.comparing(SuspectedOutage::dependency));
        List<Hold> holds = new ArrayList<>();
        List<Incident> incidents = new ArrayList<>();
        long bucket = nowMillis / SharedCauses.INCIDENT_BUCKET.toMillis();
        for (SuspectedOutage outage : outages) {
            String reason = "dependency " + outage.dependency() + " is suspected down: diagnoses open on "
                    + outage.dependents().size() + " of its dependents " + outage.dependents()
                    + "; acting on the dependents would not cure it";
            TreeSet<String> hosts = new TreeSet<>();
            for (OpenDiagnosis d : open) {
                if (outage.dependents().contains(d.service())) {
                    hosts.add(d.host());
                }
            }
            for (String service : outage.dependents()) {
                holds.add(Hold.of(fleet, service, outage.dependency(), reason));
            }
            incidents.add(new Incident("fleet-" + Hold.digest(fleet, "outage", outage.dependency(), Long.toString(bucket)),
                    "dependency-outage", outage.dependency(), List.copyOf(outage.dependents()), List.copyOf(hosts),
                    reason + "; hosts " + hosts));
        }
        shared.sort(java.util.Comparator.comparing(SharedSignature::service).thenComparing(SharedSignature::signature));
        for (SharedSignature s : shared) {
            String reason = s.signature() + " is open on " + s.hosts().size() + " hosts of " + s.service() + " " + s.hosts()
                    + ": a shared cause, which acting host by host would not cure";
            holds.add(Hold.sharedCause(fleet, s.service(), s.signature(), reason));
            incidents.add(new Incident(SharedCauses.incidentId(fleet, s.signature(), s.service(), nowMillis), s.signature(),
                    s.service(), List.of(), List.copyOf(s.hosts()), reason));
        }
        return new Conclusion(holds, incidents);
    }

    private static String drl() {
        try (InputStream in = Objects.requireNonNull(FleetCorrelator.class.getResourceAsStream("correlator.drl"),
                "correlator.drl is packaged beside FleetCorrelator")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
