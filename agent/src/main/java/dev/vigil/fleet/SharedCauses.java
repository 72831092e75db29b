package dev.vigil.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Decides from the fleet's open diagnoses whether one signature is a shared cause. Stateless. */
final class SharedCauses {
    /**
     * How long one fleet incident lasts: the same signature on the same service within one bucket is one incident,
     * whichever agent (or how many) sees it.
     */
    static final Duration INCIDENT_BUCKET = Duration.ofHours(1);

    private SharedCauses() {
    }

    static Optional<GrantResult.SharedCause> detect(String fleet, String signature, String service, int serviceInstances,
                                                    List<OpenDiagnosis> open, FleetLimits limits,
                                                    long nowMillis) {
        TreeSet<String> hosts = new TreeSet<>();
        TreeSet<String> hostsOfService = new TreeSet<>();
        for (OpenDiagnosis p : open) {
            if (p.signature().equals(signature)) {
                hosts.add(p.host());
                if (p.service().equals(service)) {
                    hostsOfService.add(p.host());
                }
            }
        }
        boolean manyHosts = hosts.size() >= limits.sharedCauseHosts();
        boolean muchOfService = serviceInstances > 0 && hostsOfService.size() >= 2
                && hostsOfService.size() * 100L >= (long) limits.sharedCausePercent() * serviceInstances;
        if (!manyHosts && !muchOfService) {
            return Optional.empty();
        }
        return Optional.of(new GrantResult.SharedCause(incidentId(fleet, signature, service, nowMillis), signature, service,
                List.copyOf(hosts)));
    }

    /** The same for every agent and every takeover within one {@link #INCIDENT_BUCKET}, so a fleet incident is raised once. */
    static String incidentId(String fleet, String signature, String service, long nowMillis) {
        long bucket = nowMillis / INCIDENT_BUCKET.toMillis();
        return "fleet-" + Hold.digest(fleet, signature, service, Long.toString(bucket));
    }
}
