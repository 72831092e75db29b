package dev.vigil.approval;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers to a channel on a scheduler, retrying retryable failures with exponential backoff (initial, doubled, capped)
 * for a bounded number of attempts, and stopping early once the delivery is no longer wanted (the request expired).
 * Thread-safe; attempts run on the scheduler's threads, never on the caller's.
 */
public final class Retrying {
    private static final Logger LOG = LoggerFactory.getLogger(Retrying.class);

    /** How retries are spaced: {@code initial}, then doubled each time up to {@code max}, {@code attempts} in all. */
    public record Backoff(Duration initial, Duration max, int attempts) {
        public Backoff {
            if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff needs 0 < initial <= max, was " + initial + ", " + max);
            }
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be >= 1, was " + attempts);
            }
        }

        public static Backoff defaults() {
            return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 8);
        }

        Duration after(int attempt) {
            long millis = initial.toMillis() << Math.min(attempt - 1, 20);
            return Duration.ofMillis(Math.min(millis, max.toMillis()));
        }
    }

    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;

    public Retrying(ScheduledExecutorService scheduler, Backoff backoff) {
        this.scheduler = scheduler;
        this.backoff = backoff;
    }

    /**
     * Starts delivering now; {@code done} gets the last outcome (delivered, not retryable, out of attempts, or
     * {@code Delivery.fail("no longer wanted")}) together with the number of attempts made.
     */
    public void deliver(String what, Supplier<Delivery> attempt, BooleanSupplier wanted, Consumer<Done> done) {
        scheduler.execute(() -> attempt(what, attempt, wanted, done, 1));
    }

    /** The end of one delivery. */
    public record Done(Delivery last, int attempts) {
        /** Journals the end of a delivery as {@code approval.delivery}; an audit failure is logged, not thrown. */
        void audit(Approvals.Audit audit, String channel, String call, String id) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("channel", channel);
            data.put("call", call);
            data.put("id", id);
            data.put("delivered", last.delivered());
            data.put("attempts", attempts);
            data.put("detail", last.detail());
            try {
                audit.record("approval.delivery", data);
            } catch (RuntimeException e) {
                LOG.error("cannot audit the {} delivery of {}: {}", channel, id, e.toString());
            }
            if (!last.delivered()) {
                LOG.warn("{} {} not delivered after {} attempt(s): {}", call, id, attempts, last.detail());
            }
        }
    }

    private void attempt(String what, Supplier<Delivery> attempt, BooleanSupplier wanted, Consumer<Done> done, int n) {
        if (!wanted.getAsBoolean()) {
            done.accept(new Done(Delivery.fail("no longer wanted"), n - 1));
            return;
        }
        Delivery d;
        try {
            d = attempt.get();
        } catch (RuntimeException e) {
            d = Delivery.fail(e.toString());
        }
        if (d.delivered() || !d.retryable() || n >= backoff.attempts()) {
            done.accept(new Done(d, n));
            return;
        }
        Duration wait = backoff.after(n);
        LOG.warn("{}: attempt {} failed ({}); retrying in {} ms", what, n, d.detail(), wait.toMillis());
        try {
            scheduler.schedule(() -> attempt(what, attempt, wanted, done, n + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.accept(new Done(Delivery.fail("shutting down"), n));
        }
    }
}
