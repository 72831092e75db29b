package dev.vigil.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Decides from the fleet's open diagnoses whether one signature is a shared cause. Stateless. */
final class SharedCauses {
    /** One open diagnosis as an agent published it. Immutable. */
    record Published(String agent, String signature, String service, String host) {
    }

    private SharedCauses() {
    }

    static Optional<GrantResult.SharedCause> detect(String fleet, String signature, String service, int serviceInstances,
                                                    List<Published> open, FleetLimits limits) {
        TreeSet<String> hosts = new TreeSet<>();
        TreeSet<String> hostsOfService = new TreeSet<>();
        for (Published p : open) {
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
        return Optional.of(new GrantResult.SharedCause(incidentId(fleet, signature, service), signature, service,
                List.copyOf(hosts)));
    }

    /** The same for every agent and every takeover, so a fleet incident is raised once. */
    static String incidentId(String fleet, String signature, String service) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((fleet + '\0' + signature + '\0' + service).getBytes(StandardCharsets.UTF_8));
            return "fleet-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
