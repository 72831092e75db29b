package dev.vigil.approval;

import java.time.Instant;
import java.util.Objects;

/** How a request left {@code pending}: who (or {@code vigil}), through which channel, when, and why. Immutable. */
public record Resolution(String who, Channel channel, Instant at, String reason) {
    public Resolution {
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(at, "at");
        reason = Objects.requireNonNullElse(reason, "");
    }
}
