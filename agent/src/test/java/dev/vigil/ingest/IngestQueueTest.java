package dev.vigil.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.fact.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IngestQueueTest {
    private final IngestStats stats = new IngestStats();

    private static MetricSample sample(double v) {
        return new MetricSample("up", Labels.EMPTY, v, MetricType.GAUGE, 1_000);
    }

    @Test
    void acceptedItemsArePreparedOnTheOfferingThreadAndRefusedOnesAreNot() {
        AtomicInteger prepared = new AtomicInteger();
        List<String> threads = new ArrayList<>();
        IngestQueue queue = new IngestQueue(3, stats, t -> {
            prepared.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            return sample(((MetricSample) t).value() * 10);
        });
        assertTrue(queue.offer("test", List.of(sample(1), sample(2))));
        assertFalse(queue.offer("test", List.of(sample(3), sample(4))), "two more do not fit in 3");
        assertEquals(2, prepared.get(), "a refused batch costs no preparing");
        assertEquals(List.of(Thread.currentThread().getName(), Thread.currentThread().getName()), threads);

        List<Double> drained = new ArrayList<>();
        assertEquals(2, queue.drain((Telemetry t) -> drained.add(((MetricSample) t).value()), 10));
        assertEquals(List.of(10.0, 20.0), drained, "the engine gets the prepared items, in order");
        assertEquals(2, stats.rejected("test", "queue_full"));
    }

    @Test
    void theArrivalListenerHearsOfEveryQueuedBatchAndOfNothingRefused() {
        IngestQueue queue = new IngestQueue(2, new IngestStats());
        AtomicInteger arrivals = new AtomicInteger();
        queue.onArrival(arrivals::incrementAndGet);

        assertTrue(queue.offer("test", List.of(sample(1), sample(1))));
        assertEquals(1, arrivals.get());
        assertFalse(queue.offer("test", List.of(sample(1))), "the queue is full");
        assertTrue(queue.offer("test", List.of()), "an empty batch is accepted");
        assertEquals(1, arrivals.get(), "a refused or empty batch brings no work");
        assertEquals(2, queue.drain(t -> { }, 10));
        assertTrue(queue.offer("test", List.of(sample(1))));
        assertEquals(2, arrivals.get());
    }
}
