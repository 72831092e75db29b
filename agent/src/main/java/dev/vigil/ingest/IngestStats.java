package dev.vigil.ingest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts, per receiver, what was accepted and what was refused and why ({@code queue_full}, {@code bad_payload},
 * {@code body_too_large}, {@code label_value_too_long}, …). Every refusal is counted here. Thread-safe.
 */
public final class IngestStats {
    /** One counter: the receiver ({@code otlp_metrics}, {@code remote_write}, …) and the reason, or "" for accepted. */
    public record Key(String source, String reason) {
    }

    private final Map<Key, LongAdder> accepted = new ConcurrentHashMap<>();
    private final Map<Key, LongAdder> rejected = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> skipped = new ConcurrentHashMap<>();

    public void accepted(String source, long n) {
        accepted.computeIfAbsent(new Key(source, ""), k -> new LongAdder()).add(n);
    }

    public void rejected(String source, String reason, long n) {
        if (n > 0) {
            rejected.computeIfAbsent(new Key(source, reason), k -> new LongAdder()).add(n);
        }
    }

    /** Counts every refusal of a decoded request. */
    public void rejected(String source, Decoded decoded) {
        decoded.rejected().forEach((reason, n) -> rejected(source, reason, n));
    }

    /** Counts samples taken from the sender but not kept, as no loaded rule refers to their metric. */
    public void skipped(String source, long n) {
        if (n > 0) {
            skipped.computeIfAbsent(source, k -> new LongAdder()).add(n);
        }
    }

    /** Samples skipped at the edge, by receiver. */
    public Map<String, Long> skippedSnapshot() {
        Map<String, Long> out = new TreeMap<>();
        skipped.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long acceptedTotal() {
        return accepted.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Samples of {@code source} skipped at the edge. */
    public long skipped(String source) {
        LongAdder a = skipped.get(source);
        return a == null ? 0 : a.sum();
    }

    public long accepted(String source) {
        LongAdder a = accepted.get(new Key(source, ""));
        return a == null ? 0 : a.sum();
    }

    public long rejected(String source, String reason) {
        LongAdder a = rejected.get(new Key(source, reason));
        return a == null ? 0 : a.sum();
    }

    /** A snapshot, sorted, for /metrics and the status line. */
    public Map<Key, Long> acceptedSnapshot() {
        return snapshot(accepted);
    }

    public Map<Key, Long> rejectedSnapshot() {
        return snapshot(rejected);
    }

    private static Map<Key, Long> snapshot(Map<Key, LongAdder> m) {
        Map<Key, Long> out = new TreeMap<>((a, b) -> a.source().equals(b.source())
                ? a.reason().compareTo(b.reason()) : a.source().compareTo(b.source()));
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
