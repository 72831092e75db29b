package dev.vigil.ingest;

import dev.vigil.fact.Alert;
import dev.vigil.fact.Labels;
import dev.vigil.fact.Telemetry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers the alerts recently taken in, so that Alertmanager's resend of an unchanged alert (every
 * {@code repeat_interval}, or with each change to its group) is not taken for a new one. An alert is identified by its
 * fingerprint, status and start: a resolution or a re-firing is new. Bounded: the least recently seen are forgotten
 * first. Thread-safe.
 *
 * <p>The fingerprint is Alertmanager's own (64-bit FNV-1a over the sorted labels), computed here from the labels
 * rather than read from the payload: it is the same value for a real Alertmanager, and {@link #forget} can rebuild
 * it from the {@link Alert} facts, which do not carry it.
 */
public final class AlertDeduplicator {
    public static final int DEFAULT_CAPACITY = 100_000;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final int SEPARATOR = 0xff; // cannot occur in UTF-8, as in prometheus/common

    private record Key(long fingerprint, String status, long startsAtMillis) {
    }

    private final Map<Key, Boolean> seen;

    public AlertDeduplicator() {
        this(DEFAULT_CAPACITY);
    }

    public AlertDeduplicator(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("alert deduplicator capacity must be positive, was " + capacity);
        }
        this.seen = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Notes the alert as seen; true when it was not seen before (or was forgotten since). */
    public synchronized boolean firstSeen(Labels labels, String status, long startsAtMillis) {
        return seen.put(new Key(fingerprint(labels), status, startsAtMillis), Boolean.TRUE) == null;
    }

    /**
     * Forgets alerts that were decoded but could not be queued, so that the sender's retry of the same request is
     * taken in rather than dropped as a duplicate. Items that are not alerts are ignored.
     */
    public synchronized void forget(List<? extends Telemetry> items) {
        for (Telemetry t : items) {
            if (t instanceof Alert a) {
                seen.remove(new Key(fingerprint(a.labels()), a.status(), a.startsAtMillis()));
            }
        }
    }

    public synchronized int size() {
        return seen.size();
    }

    /** Alertmanager's fingerprint of a label set, as a number; printed as 16 hex digits in webhooks. */
    static long fingerprint(Labels labels) {
        // sorted by UTF-8 bytes, as Go sorts strings (String order differs above the BMP)
        byte[][] names = labels.asMap().keySet().stream()
                .map(n -> n.getBytes(StandardCharsets.UTF_8))
                .sorted(Arrays::compareUnsigned)
                .toArray(byte[][]::new);
        long hash = FNV_OFFSET;
        for (byte[] name : names) {
            hash = add(hash, name);
            hash = add(hash, SEPARATOR);
            hash = add(hash, labels.get(new String(name, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            hash = add(hash, SEPARATOR);
        }
        return hash;
    }

    private static long add(long hash, byte[] bytes) {
        for (byte b : bytes) {
            hash = add(hash, b & 0xff);
        }
        return hash;
    }

    private static long add(long hash, int octet) {
        return (hash ^ octet) * FNV_PRIME;
    }
}
