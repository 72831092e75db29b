package dev.vigil.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.fact.Telemetry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IngestQueueTest {
    private static final Telemetry SAMPLE = new MetricSample("up", Labels.of("host", "a"), 1, MetricType.GAUGE, 0);

    @Test
    void theArrivalListenerHearsOfEveryQueuedBatchAndOfNothingRefused() {
        IngestQueue queue = new IngestQueue(2, new IngestStats());
        AtomicInteger arrivals = new AtomicInteger();
        queue.onArrival(arrivals::incrementAndGet);

        assertTrue(queue.offer("test", List.of(SAMPLE, SAMPLE)));
        assertEquals(1, arrivals.get());
        assertFalse(queue.offer("test", List.of(SAMPLE)), "the queue is full");
        assertTrue(queue.offer("test", List.of()), "an empty batch is accepted");
        assertEquals(1, arrivals.get(), "a refused or empty batch brings no work");
        assertEquals(2, queue.drain(t -> { }, 10));
        assertTrue(queue.offer("test", List.of(SAMPLE)));
        assertEquals(2, arrivals.get());
    }
}
