package dev.vigil.playbook;

import java.util.Objects;

/**
 * What one real step did, for the audit journal and the runner. Output and error are cut to {@link #OUTPUT_LIMIT}
 * characters so a chatty script cannot flood the journal. Immutable.
 *
 * @param retryable whether running the same step again could succeed (a timeout, a 503, a lost connection)
 */
public record StepOutcome(Status status, String output, String error, long elapsedMillis, boolean retryable) {
    /** The most characters of output (and of error) kept. */
    public static final int OUTPUT_LIMIT = 16 * 1024;

    /** How a step ended. */
    public enum Status {
        /** It ran and its result was the one expected. */
        SUCCEEDED,
        /** It ran and failed (exit code, HTTP status, SQL error, API error). */
        FAILED,
        /** It did not finish within its timeout and was stopped. */
        TIMED_OUT,
        /** It was not started: something about it was not allowed (a value, a target, a guard). */
        REFUSED
    }

    public StepOutcome {
        Objects.requireNonNull(status, "status");
        output = bounded(output);
        error = bounded(error);
        if (elapsedMillis < 0) {
            throw new IllegalArgumentException("elapsedMillis must be >= 0, was " + elapsedMillis);
        }
    }

    public static StepOutcome succeeded(String output, long elapsedMillis) {
        return new StepOutcome(Status.SUCCEEDED, output, "", elapsedMillis, false);
    }

    public static StepOutcome failed(String output, String error, long elapsedMillis, boolean retryable) {
        return new StepOutcome(Status.FAILED, output, error, elapsedMillis, retryable);
    }

    public static StepOutcome timedOut(String output, long elapsedMillis) {
        return new StepOutcome(Status.TIMED_OUT, output, "timed out", elapsedMillis, true);
    }

    public static StepOutcome refused(String reason) {
        return new StepOutcome(Status.REFUSED, "", reason, 0, false);
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }

    private static String bounded(String text) {
        if (text == null) {
            return "";
        }
        if (text.length() <= OUTPUT_LIMIT) {
            return text;
        }
        return text.substring(0, OUTPUT_LIMIT) + "\n[cut: " + (text.length() - OUTPUT_LIMIT) + " more characters]";
    }
}
