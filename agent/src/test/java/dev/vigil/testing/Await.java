package dev.vigil.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waits for a condition checked on a Vert.x timer, so tests neither sleep nor spin. */
public final class Await {
    private Await() {
    }

    /** The same without Vert.x at hand: the condition is checked on a short-lived timer thread. */
    public static void until(Duration within, String what, BooleanSupplier condition) {
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                r -> new Thread(r, "await-timer"));
        CompletableFuture<Void> met = new CompletableFuture<>();
        timer.scheduleWithFixedDelay(() -> {
            try {
                if (condition.getAsBoolean()) {
                    met.complete(null);
                }
            } catch (RuntimeException | AssertionError e) {
                met.completeExceptionally(e);
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
        try {
            met.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail("not within " + within + ": " + what);
        } catch (ExecutionException e) {
            fail(what + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted waiting for " + what);
        } finally {
            timer.shutdownNow();
        }
    }

    public static void until(Vertx vertx, Duration within, String what, BooleanSupplier condition) {
        CompletableFuture<Void> met = new CompletableFuture<>();
        long timer = vertx.setPeriodic(10, id -> {
            try {
                if (condition.getAsBoolean()) {
                    met.complete(null);
                }
            } catch (RuntimeException | AssertionError e) {
                met.completeExceptionally(e);
            }
        });
        try {
            met.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail("not within " + within + ": " + what);
        } catch (ExecutionException e) {
            fail(what + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted waiting for " + what);
        } finally {
            vertx.cancelTimer(timer);
        }
    }
}
