package dev.vigil.signature;

/**
 * One evidence key of a signature: what source it comes from, its weight in log-odds and whether it is one exact
 * measurement that states the condition itself. Immutable.
 */
public record EvidenceSpec(String key, String source, double weight, boolean exact, String description, int line) {
}
