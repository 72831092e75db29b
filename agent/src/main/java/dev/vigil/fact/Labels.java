package dev.vigil.fact;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable, sorted set of Prometheus-style labels. Thread-safe.
 *
 * <p>{@link #key()} is a canonical string of the labels, so two series with the same labels
 * (for example {@code hikaricp_connections_active} and {@code hikaricp_connections_max} of one pool)
 * can be joined by key in rules.
 */
public final class Labels {
    public static final Labels EMPTY = new Labels(new TreeMap<>());

    private final SortedMap<String, String> map;
    private final String key;

    private Labels(TreeMap<String, String> map) {
        this.map = Collections.unmodifiableSortedMap(map);
        StringBuilder sb = new StringBuilder();
        // length-prefixed, so no label value (which is untrusted) can make two label sets share a key
        map.forEach((k, v) -> sb.append(k.length()).append(':').append(k).append(v.length()).append(':').append(v));
        this.key = sb.toString();
    }

    public static Labels of(Map<String, String> labels) {
        return labels.isEmpty() ? EMPTY : new Labels(new TreeMap<>(labels));
    }

    public static Labels of(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs, got " + pairs.length + " strings");
        }
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return new Labels(m);
    }

    /** The value of a label, or null when absent. */
    public String get(String name) {
        return map.get(name);
    }

    /** The value of a label, or {@code fallback} when absent or empty. */
    public String getOrDefault(String name, String fallback) {
        String v = map.get(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    public boolean has(String name) {
        return map.containsKey(name);
    }

    public Map<String, String> asMap() {
        return map;
    }

    public int size() {
        return map.size();
    }

    /** Canonical form, equal for equal label sets. */
    public String key() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other && key.equals(other.key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return map.toString();
    }
}
