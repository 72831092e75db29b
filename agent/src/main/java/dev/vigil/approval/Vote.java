package dev.vigil.approval;

import java.time.Instant;
import java.util.Objects;

/** One approver's yes: who, through which channel, when. Immutable. */
public record Vote(String who, Channel channel, Instant at) {
    public Vote {
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(at, "at");
    }
}
