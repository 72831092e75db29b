package dev.vigil.audit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a file journal rotates and checkpoints; immutable.
 *
 * @param rotateBytes        seal the active file once it holds at least this many bytes (so a file exceeds it by at
 *                           most one record); 0 for never
 * @param rotateInterval     seal the active file at the first append this long after its first record; zero for never
 * @param checkpointInterval write a signed checkpoint at the first append this long after the last one (and at close)
 * @param signingKey         the key checkpoints are signed with; without one no checkpoint is written
 */
public record AuditOptions(long rotateBytes, Duration rotateInterval, Duration checkpointInterval,
                           Optional<SigningKey> signingKey) {
    /** No rotation and no checkpoints: one file that grows. */
    public static final AuditOptions NONE = new AuditOptions(0, Duration.ZERO, Duration.ofMinutes(5), Optional.empty());

    public AuditOptions {
        Objects.requireNonNull(rotateInterval, "rotateInterval");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        Objects.requireNonNull(signingKey, "signingKey");
        if (rotateBytes < 0) {
            throw new IllegalArgumentException("rotateBytes must be >= 0 (0 = never), was " + rotateBytes);
        }
        if (rotateInterval.isNegative()) {
            throw new IllegalArgumentException("rotateInterval must not be negative, was " + rotateInterval);
        }
        if (checkpointInterval.isNegative()) {
            throw new IllegalArgumentException("checkpointInterval must not be negative, was " + checkpointInterval);
        }
    }

    public AuditOptions withSigningKey(SigningKey key) {
        return new AuditOptions(rotateBytes, rotateInterval, checkpointInterval, Optional.of(key));
    }

    /** One line for the daemon's start banner, saying plainly when checkpoints are off. */
    public String describe() {
        String rotation = rotateBytes == 0 && rotateInterval.isZero() ? "no rotation"
                : "rotates at " + (rotateBytes == 0 ? "" : rotateBytes + " bytes")
                        + (rotateBytes != 0 && !rotateInterval.isZero() ? " or " : "")
                        + (rotateInterval.isZero() ? "" : "every " + rotateInterval.toString().substring(2).toLowerCase(java.util.Locale.ROOT));
        String checkpoints = signingKey.map(k -> "signed checkpoints every "
                        + checkpointInterval.toString().substring(2).toLowerCase(java.util.Locale.ROOT) + " (key " + k.id().substring(0, 16) + "…)")
                .orElse("NO checkpoints: no audit.signing_key configured, so only the hash chain protects the journal");
        return rotation + "; " + checkpoints;
    }
}
