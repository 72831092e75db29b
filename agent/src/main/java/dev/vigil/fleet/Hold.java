package dev.vigil.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The fleet correlator's word that no agent may act on {@code service} now (for {@code signature}, or for any when it
 * is empty): its diagnoses are the symptoms of an outage of {@code dependency}, which restarting the dependents would
 * not cure, or one signature holds on so many of its hosts that the cause is shared. Grants it covers are refused
 * while the hold exists. Immutable.
 *
 * @param id         deterministic for the fleet and what is held, so a new leader writes the very same hold
 * @param signature  the signature held; empty for every signature of the service
 * @param dependency the dependency suspected down; empty for a shared-cause hold
 */
public record Hold(String id, String service, String signature, String dependency, String reason) {
    public Hold {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(dependency, "dependency");
        Objects.requireNonNull(reason, "reason");
    }

    /** The hold on every signature of {@code service} for an outage of {@code dependency}, with its deterministic id. */
    public static Hold of(String fleet, String service, String dependency, String reason) {
        return new Hold("hold-" + digest(fleet, "hold", dependency, service), service, "", dependency, reason);
    }

    /** The hold on {@code signature} of {@code service}, which holds on many hosts at once (a shared cause). */
    public static Hold sharedCause(String fleet, String service, String signature, String reason) {
        return new Hold("hold-" + digest(fleet, "shared", signature, service), service, signature, "", reason);
    }

    /** Whether a grant for {@code signature} on {@code service} is refused by this hold. */
    public boolean covers(String service, String signature) {
        return this.service.equals(service) && (this.signature.isEmpty() || this.signature.equals(signature));
    }

    /** The first 8 bytes of the SHA-256 of the parts, NUL-separated, in hex: the same on every agent. */
    static String digest(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest(String.join("\0", parts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
