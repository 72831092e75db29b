package dev.vigil.signature;

import java.util.List;

/**
 * One evidence key of a signature: what source it comes from, its weight in log-odds and whether it is one exact
 * measurement that states the condition itself. Immutable.
 *
 * @param anomalyOf the metric names whose anomaly score this key observes: a generic {@code anomaly} evidence,
 *                  observed by a rule generated from the signature (empty for every other key). It only supports a
 *                  diagnosis that other evidence made: it can never be required, nor exact.
 */
public record EvidenceSpec(String key, String source, double weight, boolean exact, String description, int line,
                           List<String> anomalyOf) {
    public EvidenceSpec {
        anomalyOf = List.copyOf(anomalyOf);
    }

    /** True for a generic anomaly evidence. */
    public boolean anomaly() {
        return !anomalyOf.isEmpty();
    }
}
