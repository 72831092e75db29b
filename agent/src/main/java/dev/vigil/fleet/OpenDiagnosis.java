package dev.vigil.fleet;

import java.util.Objects;

/**
 * One open diagnosis as an agent published it to the fleet: {@code signature} holds on {@code host} of
 * {@code service}, seen by {@code agent}. Immutable.
 */
public record OpenDiagnosis(String agent, String signature, String service, String host) {
    public OpenDiagnosis {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(host, "host");
    }
}
