package dev.vigil.ingest;

import java.util.HashMap;
import java.util.Map;

/**
 * Collects one item's labels or attributes from a wire list, where a name can repeat, and then checks them against
 * the limits through {@link LabelCheck}. Not thread-safe: one per item.
 */
final class LabelCollector {
    static final String INVALID_LABEL_NAME = "invalid_label_name";
    static final String DUPLICATE_LABEL = "duplicate_label";

    private final Map<String, String> map = new HashMap<>();
    private String problem;

    /** Adds a label from the sender; an empty name, or a name given twice, refuses the item. */
    void add(String name, String value) {
        if (problem != null) {
            return;
        }
        if (name.isEmpty()) {
            problem = INVALID_LABEL_NAME;
        } else if (map.putIfAbsent(name, value) != null) {
            problem = DUPLICATE_LABEL;
        }
    }

    /** Sets a label the decoder derives itself (job, instance, …), replacing a sender's label of that name. */
    void set(String name, String value) {
        map.put(name, value);
    }

    /** Why the item is refused, or null when its labels are well formed and within the limits. */
    String violation(IngestLimits limits) {
        return problem != null ? problem : LabelCheck.violation(map, limits);
    }

    /** The labels, mutable, for the caller to finish (a record's attributes, a bucket's {@code le}). */
    Map<String, String> asMap() {
        return map;
    }
}
