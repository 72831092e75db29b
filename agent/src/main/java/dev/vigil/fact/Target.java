package dev.vigil.fact;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a diagnosis is about and a playbook would act on: {@code service} and {@code host} where known,
 * plus what narrows it further ({@code mountpoint}, {@code pool}, {@code pod}, {@code node}, …). Immutable.
 *
 * <p>Keys keep a fixed order (service, host, then the rest by name) so a target prints the same way every time.
 */
public record Target(Map<String, String> labels) {
    public static final Target ANY = new Target(Map.of());

    public Target {
        List<String> keys = new ArrayList<>(labels.keySet());
        keys.sort(Target::compareKeys);
        LinkedHashMap<String, String> ordered = new LinkedHashMap<>();
        for (String k : keys) {
            String v = labels.get(k);
            if (v != null && !v.isEmpty()) {
                ordered.put(k, v);
            }
        }
        labels = Collections.unmodifiableMap(ordered);
    }

    /** A target from name/value pairs; pairs with a null or empty value are left out. */
    public static Target of(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("target comes in name/value pairs, got " + pairs.length + " strings");
        }
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return new Target(m);
    }

    public static Target service(String service) {
        return of("service", service);
    }

    public static Target serviceHost(String service, String host) {
        return of("service", service, "host", host);
    }

    public String get(String key) {
        return labels.get(key);
    }

    public String service() {
        return labels.getOrDefault("service", "");
    }

    public String host() {
        return labels.getOrDefault("host", "");
    }

    /** True when every label of {@code subset} is present here with the same value. */
    public boolean matches(Target subset) {
        return subset.labels.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** This target with one more label. */
    public Target with(String key, String value) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>(labels);
        m.put(key, value);
        return new Target(m);
    }

    private static int compareKeys(String a, String b) {
        int ra = rank(a);
        int rb = rank(b);
        return ra != rb ? Integer.compare(ra, rb) : a.compareTo(b);
    }

    private static int rank(String key) {
        return switch (key) {
            case "service" -> 0;
            case "host" -> 1;
            default -> 2;
        };
    }

    @Override
    public String toString() {
        return labels.toString();
    }
}
