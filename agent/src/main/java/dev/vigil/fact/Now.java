package dev.vigil.fact;

/**
 * The engine clock as a fact: rules that count over a window ending now join this one fact.
 * The engine replaces it as time advances.
 */
public record Now(long millis) {
    /** The start of a window of {@code seconds} ending now. */
    public long minus(long seconds) {
        return millis - seconds * 1000L;
    }
}
