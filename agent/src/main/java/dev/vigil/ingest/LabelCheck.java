package dev.vigil.ingest;

import java.util.Map;

/** The label and attribute limits of {@link IngestLimits}, shared by every decoder so reasons are named alike. */
final class LabelCheck {
    /** Set on a log record whose body was cut to {@link IngestLimits#maxLogBodyBytes()}. */
    static final String TRUNCATED = "vigil.truncated";
    static final String TOO_MANY_LABELS = "too_many_labels";
    static final String LABEL_NAME_TOO_LONG = "label_name_too_long";
    /** Also used for a metric name, which is the {@code __name__} label. */
    static final String LABEL_VALUE_TOO_LONG = "label_value_too_long";

    private LabelCheck() {
    }

    /** Why this label (or attribute) set is refused, or null when it is within the limits. */
    static String violation(Map<String, String> labels, IngestLimits limits) {
        if (labels.size() > limits.maxLabelsPerSeries()) {
            return TOO_MANY_LABELS;
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (Utf8Bytes.byteLength(e.getKey()) > limits.maxLabelNameBytes()) {
                return LABEL_NAME_TOO_LONG;
            }
            if (Utf8Bytes.byteLength(e.getValue()) > limits.maxLabelValueBytes()) {
                return LABEL_VALUE_TOO_LONG;
            }
        }
        return null;
    }
}
