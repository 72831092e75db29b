package dev.vigil.scenario;

import java.util.Objects;

/**
 * One expectation a run did not meet, with a message that says what was decided instead. Immutable, so
 * thread-safe.
 */
public record CheckFailure(Expectation expectation, String message) {
    public CheckFailure {
        Objects.requireNonNull(expectation, "expectation");
        Objects.requireNonNull(message, "message");
    }

    /** {@code line N: <expectation>: <message>}, for a pass/fail report. */
    @Override
    public String toString() {
        return "line " + expectation.line() + ": " + expectation.describe() + ": " + message;
    }
}
