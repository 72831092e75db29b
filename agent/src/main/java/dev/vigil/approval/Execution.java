package dev.vigil.approval;

import java.util.Locale;
import java.util.Objects;

/** What became of an approved action when it was about to run. Immutable. */
public record Execution(Status status, String detail) {
    /** How it went. */
    public enum Status {
        /** Handed to the playbook runner, which has not finished yet; its outcome follows as another transition. */
        STARTED,
        /** The playbook ran. */
        RAN,
        /** The playbook was planned and journalled, not run (dry-run mode). */
        DRY_RUN,
        /** A guard no longer held (checked before the runner, or by the runner itself): the action did not run. */
        BLOCKED,
        /** The runner failed; {@code detail} says how. */
        FAILED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public Execution {
        Objects.requireNonNull(status, "status");
        detail = Objects.requireNonNullElse(detail, "");
    }

    public static Execution blocked(String reason) {
        return new Execution(Status.BLOCKED, reason);
    }

    /** Whether this is how the action ended, not a step on the way ({@link Status#STARTED}). */
    public boolean isFinal() {
        return status != Status.STARTED;
    }
}
