package dev.vigil.playbook;

import java.util.Locale;
import java.util.Objects;

/** How one run of a playbook for one decision ended, as audited. Immutable. */
public record RunResult(String runId, String decisionId, String playbook, Outcome outcome, String reason) {
    /** The end of a run. */
    public enum Outcome {
        /** The steps ran and the verification held before its deadline. */
        VERIFIED,
        /** The steps ran; the playbook changes nothing and has no verification (notify only). */
        COMPLETED,
        /** A step or the verification failed and no rollback restored the state (none, or it failed too). */
        FAILED,
        /** A step or the verification failed and every rollback step succeeded. */
        ROLLED_BACK,
        /** A guard, the parameters or the kill switch stopped it before the first step. */
        REFUSED,
        /** The kill switch stopped it between steps. */
        STOPPED;

        /** The journal form ({@code rolled-back}, …). */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public RunResult {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(decisionId, "decisionId");
        Objects.requireNonNull(playbook, "playbook");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }
}
