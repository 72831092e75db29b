package dev.vigil.ingest;

import dev.vigil.fact.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a decoder made of one request: the observations it accepted, by reason the items it refused (a series with
 * a 1 MB label value, a record with invalid UTF-8), and how many it skipped because no rule refers to their metric
 * ({@link MetricFilter}). Refused and skipped items are counted, never silently dropped. Immutable.
 */
public record Decoded(List<Telemetry> items, Map<String, Long> rejected, long skipped) {
    public Decoded {
        items = List.copyOf(items);
        rejected = Map.copyOf(rejected);
    }

    public Decoded(List<Telemetry> items, Map<String, Long> rejected) {
        this(items, rejected, 0);
    }

    public long rejectedCount() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The refusals as one line, e.g. "label_value_too_long: 2, invalid_utf8: 1" (empty when none). */
    public String rejectedSummary() {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(rejected).forEach((reason, n) -> sb.append(sb.isEmpty() ? "" : ", ").append(reason).append(": ").append(n));
        return sb.toString();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects one request's items and refusals. Not thread-safe: one per request. */
    public static final class Builder {
        private final List<Telemetry> items = new ArrayList<>();
        private final Map<String, Long> rejected = new TreeMap<>();
        private long skipped;

        public Builder add(Telemetry t) {
            items.add(t);
            return this;
        }

        public Builder reject(String reason) {
            return reject(reason, 1);
        }

        public Builder reject(String reason, long count) {
            if (count > 0) {
                rejected.merge(reason, count, Long::sum);
            }
            return this;
        }

        /** Counts items accepted by the protocol but not kept: no rule refers to their metric. */
        public Builder skip(long count) {
            skipped += count;
            return this;
        }

        public int size() {
            return items.size();
        }

        public Decoded build() {
            return new Decoded(items, rejected, skipped);
        }
    }
}
