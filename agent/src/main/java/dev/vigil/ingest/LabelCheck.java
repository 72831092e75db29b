package dev.vigil.ingest;

import java.util.Map;

/** The label and attribute limits of {@link IngestLimits}, shared by every decoder so reasons are named alike. */
final class LabelCheck {
    /** Set on a log record whose body was cut to {@link IngestLimits#maxLogBodyBytes()}. */
    static final String TRUNCATED = "vigil.truncated";

    private LabelCheck() {
    }

    /** Why this label (or attribute) set is refused, or null when it is within the limits. */
    static String violation(Map<String, String> labels, IngestLimits limits) {
        if (labels.size() > limits.maxLabelsPerSeries()) {
            return "too_many_labels";
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (Utf8Bytes.byteLength(e.getKey()) > limits.maxLabelNameBytes()) {
                return "label_name_too_long";
            }
            if (Utf8Bytes.byteLength(e.getValue()) > limits.maxLabelValueBytes()) {
                return "label_value_too_long";
            }
        }
        return null;
    }
}
