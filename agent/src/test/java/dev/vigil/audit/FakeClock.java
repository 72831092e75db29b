package dev.vigil.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that tests set and advance by hand; thread-safe. */
final class FakeClock implements InstantSource {
    private final AtomicReference<Instant> now;

    FakeClock(String isoInstant) {
        now = new AtomicReference<>(Instant.parse(isoInstant));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    FakeClock advance(Duration by) {
        now.updateAndGet(t -> t.plus(by));
        return this;
    }
}
