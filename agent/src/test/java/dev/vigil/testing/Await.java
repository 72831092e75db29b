package dev.vigil.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waits for a condition checked on a Vert.x timer, so tests neither sleep nor spin. */
public final class Await {
    private Await() {
    }

    /** The same without Vert.x at hand: the condition is checked on a short-lived timer thread. */
    public static void until(Duration within, String what, BooleanSupplier condition) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "await-timer"));
        CompletableFuture<Void> met = new CompletableFuture<>();
        timer.scheduleWithFixedDelay(() -> check(condition, met), 0, 10, TimeUnit.MILLISECONDS);
        try {
            await(met, within, what);
        } finally {
            timer.shutdownNow();
        }
    }

    /** Returns once {@code condition} holds (checked every 10 ms on a Vert.x timer), or fails after {@code within}. */
    public static void until(Vertx vertx, Duration within, String what, BooleanSupplier condition) {
        CompletableFuture<Void> met = new CompletableFuture<>();
        long timer = vertx.setPeriodic(10, id -> check(condition, met));
        try {
            await(met, within, what);
        } finally {
            vertx.cancelTimer(timer);
        }
    }

    private static void check(BooleanSupplier condition, CompletableFuture<Void> met) {
        try {
            if (condition.getAsBoolean()) {
                met.complete(null);
            }
        } catch (RuntimeException | AssertionError e) {
            met.completeExceptionally(e);
        }
    }

    private static void await(CompletableFuture<Void> met, Duration within, String what) {
        try {
            met.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail("not within " + within + ": " + what);
        } catch (ExecutionException e) {
            fail(what + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted waiting for " + what);
        }
    }
}
