package dev.vigil.ingest;

import dev.vigil.fact.Telemetry;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The bounded hand-off from the receivers (any thread) to the engine thread. A batch is taken whole or not at all: when
 * it does not fit, {@link #offer} returns false and the receiver answers with its protocol's retriable status, so
 * nothing is dropped silently. Thread-safe.
 *
 * <p>An optional {@code prepare} step runs on the offering thread (an event loop, the syslog or file-tailing thread) for
 * every item of an accepted batch: work that needs no engine state, such as log templating, is done there rather than on
 * the single engine thread.
 */
public final class IngestQueue {
    private final long capacity;
    private final ConcurrentLinkedQueue<Batch> batches = new ConcurrentLinkedQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final IngestStats stats;
    private final UnaryOperator<Telemetry> prepare;
    private volatile Runnable onArrival = () -> { };

    /** One request's observations and the receiver they came from. */
    public record Batch(String source, List<Telemetry> items) {
        public Batch {
            items = List.copyOf(items);
        }
    }

    public IngestQueue(long capacityItems, IngestStats stats) {
        this(capacityItems, stats, UnaryOperator.identity());
    }

    /** A queue that passes each accepted item through {@code prepare} (thread-safe, stateless) on the offering thread. */
    public IngestQueue(long capacityItems, IngestStats stats, UnaryOperator<Telemetry> prepare) {
        if (capacityItems <= 0) {
            throw new IllegalArgumentException("queue capacity must be positive, was " + capacityItems);
        }
        this.capacity = capacityItems;
        this.stats = stats;
        this.prepare = prepare;
    }

    /**
     * Enqueues the batch when it fits. Returns false (and counts the items as refused for overload) when the engine
     * is behind; an empty batch is always accepted.
     */
    public boolean offer(String source, List<Telemetry> items) {
        int n = items.size();
        if (n == 0) {
            return true;
        }
        long now;
        do {
            now = pending.get();
            if (now + n > capacity) {
                stats.rejected(source, "queue_full", n);
                return false;
            }
        } while (!pending.compareAndSet(now, now + n));
        // prepared only once accepted: a refused batch costs the receiver no templating
        Telemetry[] prepared = new Telemetry[n];
        for (int i = 0; i < n; i++) {
            prepared[i] = prepare.apply(items.get(i));
        }
        batches.add(new Batch(source, List.of(prepared)));
        stats.accepted(source, n);
        onArrival.run();
        return true;
    }

    /**
     * Calls {@code listener} on the receiving thread after each batch is queued, so the engine thread can sleep until
     * there is work instead of polling. The listener must be quick and must not block.
     */
    public void onArrival(Runnable listener) {
        this.onArrival = Objects.requireNonNull(listener, "listener");
    }

    /** Hands every queued observation to {@code sink}, oldest batch first. Engine thread only. Returns how many. */
    public long drain(Consumer<Telemetry> sink, long maxItems) {
        long taken = 0;
        Batch b;
        while (taken < maxItems && (b = batches.poll()) != null) {
            for (Telemetry t : b.items()) {
                sink.accept(t);
            }
            taken += b.items().size();
            pending.addAndGet(-b.items().size());
        }
        return taken;
    }

    /** Observations waiting for the engine. */
    public long depth() {
        return pending.get();
    }

    public long capacity() {
        return capacity;
    }
}
