package dev.vigil.fact;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One piece of evidence a rule observed for a signature on a target. Inserted (logically) by rules only.
 *
 * @param signature  the signature id the rule belongs to
 * @param key        the evidence key of that signature
 * @param target     the target at the signature's granularity
 * @param strength   how fully the evidence holds, in [0, 1]; 1 unless the rule grades it
 * @param detail     a short human reason ("pool HikariPool-1 saturated 10/10 for 75s"); untrusted values may appear
 * @param bindings   values a playbook may bind as parameters ({@code pool}, {@code mountpoint}); validated later
 * @param observedAt when the newest observation behind it was made (epoch ms), for staleness
 */
public record Evidence(String signature, String key, Target target, double strength, String detail,
                       Map<String, String> bindings, long observedAt) {
    public Evidence {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(target, "target");
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in [0, 1], was " + strength);
        }
        detail = Objects.requireNonNullElse(detail, key);
        bindings = Map.copyOf(bindings);
    }

    public static Evidence of(String signature, String key, Target target, String detail, long observedAt) {
        return new Evidence(signature, key, target, 1.0, detail, Map.of(), observedAt);
    }

    /** This evidence with one more binding for playbook parameters. */
    public Evidence bind(String name, String value) {
        if (value == null) {
            return this;
        }
        TreeMap<String, String> m = new TreeMap<>(bindings);
        m.put(name, value);
        return new Evidence(signature, key, target, strength, detail, m, observedAt);
    }

    /** This evidence with a graded strength. */
    public Evidence withStrength(double value) {
        return new Evidence(signature, key, target, Math.max(0, Math.min(1, value)), detail, bindings, observedAt);
    }
}
