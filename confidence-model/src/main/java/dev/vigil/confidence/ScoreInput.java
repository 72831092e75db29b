package dev.vigil.confidence;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the scorer needs about one diagnosis; an immutable value, safe to share between threads.
 *
 * @param signature             the signature id ({@code db-connection-pool-exhaustion})
 * @param prior                 how often this signature is right before any evidence, in (0, 1) exclusive
 * @param evidence              the evidence observed for it, at most one per key; unmodifiable
 * @param missingSources        evidence keys whose telemetry source sends nothing for the target: unknown, not
 *                              absent; none of them may also be in {@code evidence}; unmodifiable
 * @param conflictingSignatures other signatures diagnosed on the same target at the same time; unmodifiable
 * @param trackRecord           past verified runs of the playbook, {@link TrackRecord#NONE} when there are none
 */
public record ScoreInput(String signature, double prior, List<EvidenceInput> evidence, List<String> missingSources,
                         List<String> conflictingSignatures, TrackRecord trackRecord) {
    /**
     * Checks every field and copies the lists.
     *
     * @throws IllegalArgumentException when the signature is blank, the prior is outside (0, 1), an evidence key
     *                                  repeats, a missing source repeats or also has evidence, or a conflicting
     *                                  signature repeats, is blank or is this signature
     * @throws NullPointerException     when a field or a list element is null
     */
    public ScoreInput {
        Objects.requireNonNull(signature, "signature");
        if (signature.isBlank()) {
            throw new IllegalArgumentException("signature must not be blank (was \"" + signature + "\")");
        }
        if (!(prior > 0 && prior < 1)) {
            throw new IllegalArgumentException(signature + ": prior must be in (0, 1) (was " + prior + ")");
        }
        evidence = List.copyOf(Objects.requireNonNull(evidence, "evidence"));
        missingSources = List.copyOf(Objects.requireNonNull(missingSources, "missingSources"));
        conflictingSignatures = List.copyOf(Objects.requireNonNull(conflictingSignatures, "conflictingSignatures"));
        Objects.requireNonNull(trackRecord, "trackRecord");

        Set<String> keys = new HashSet<>();
        for (EvidenceInput e : evidence) {
            if (!keys.add(e.key())) {
                throw new IllegalArgumentException(signature + ": evidence key " + e.key()
                        + " appears more than once; pass the strongest observation per key");
            }
        }
        Set<String> missing = new HashSet<>();
        for (String key : missingSources) {
            if (key.isBlank()) {
                throw new IllegalArgumentException(signature + ": missing source must not be blank (was \"" + key
                        + "\")");
            }
            if (!missing.add(key)) {
                throw new IllegalArgumentException(signature + ": missing source " + key
                        + " appears more than once");
            }
            if (keys.contains(key)) {
                throw new IllegalArgumentException(signature + ": missing source " + key
                        + " also has evidence; a key is either observed or missing");
            }
        }
        Set<String> conflicts = new HashSet<>();
        for (String other : conflictingSignatures) {
            if (other.isBlank()) {
                throw new IllegalArgumentException(signature + ": conflicting signature must not be blank (was \""
                        + other + "\")");
            }
            if (other.equals(signature)) {
                throw new IllegalArgumentException(signature + ": a signature cannot conflict with itself (was "
                        + other + ")");
            }
            if (!conflicts.add(other)) {
                throw new IllegalArgumentException(signature + ": conflicting signature " + other
                        + " appears more than once");
            }
        }
    }
}
