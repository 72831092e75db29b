package dev.vigil.fact;

import java.util.Arrays;
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
 *
 * <p>Implementation note: the labels are one array of name/value pairs sorted by name, and the key is built on first
 * use. A daemon keeps the labels of up to 200,000 series, and a tree map per series cost more heap than their samples;
 * decoders build a set per sample, and most are only looked up once.
 */
public final class Labels {
    public static final Labels EMPTY = new Labels(new String[0]);

    private final String[] pairs; // name, value, name, value, ... sorted by name, names distinct
    private int hash; // 0: not computed yet (racy but idempotent, like String's)
    private String key; // null: not built yet (racy but idempotent)

    private Labels(String[] pairs) {
        this.pairs = pairs;
    }

    public static Labels of(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return EMPTY;
        }
        String[] names = labels.keySet().toArray(new String[0]);
        Arrays.sort(names);
        String[] pairs = new String[names.length * 2];
        for (int i = 0; i < names.length; i++) {
            pairs[2 * i] = names[i];
            pairs[2 * i + 1] = labels.get(names[i]);
        }
        return new Labels(pairs);
    }

    public static Labels of(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name/value pairs, got " + pairs.length + " strings");
        }
        TreeMap<String, String> m = new TreeMap<>(); // a repeated name keeps its last value
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return of(m);
    }

    /**
     * The same labels with their names and values interned: a series' labels live as long as the series, and hosts,
     * jobs and label names repeat across thousands of series. For state that is kept, not for each sample.
     */
    public Labels interned() {
        String[] shared = new String[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            shared[i] = pairs[i].intern();
        }
        Labels l = new Labels(shared);
        l.hash = hash;
        l.key = key;
        return l;
    }

    /** The value of a label, or null when absent. */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : pairs[i + 1];
    }

    private int indexOf(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The value of a label, or {@code fallback} when absent or empty. */
    public String getOrDefault(String name, String fallback) {
        String v = get(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    /** The labels as a sorted, unmodifiable map (a copy: meant for the rare caller that needs a map). */
    public Map<String, String> asMap() {
        SortedMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableSortedMap(m);
    }

    public int size() {
        return pairs.length / 2;
    }

    /** Canonical form, equal for equal label sets. */
    public String key() {
        String k = key;
        if (k == null) {
            StringBuilder sb = new StringBuilder();
            // length-prefixed, so no label value (which is untrusted) can make two label sets share a key
            for (int i = 0; i < pairs.length; i += 2) {
                sb.append(pairs[i].length()).append(':').append(pairs[i]).append(pairs[i + 1].length()).append(':')
                        .append(pairs[i + 1]);
            }
            k = sb.toString();
            key = k;
        }
        return k;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other && Arrays.equals(pairs, other.pairs);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(pairs);
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
