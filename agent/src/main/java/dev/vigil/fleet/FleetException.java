package dev.vigil.fleet;

/** A fleet operation that could not complete (no quorum, session lost); the caller fails closed. */
public final class FleetException extends Exception {
    private static final long serialVersionUID = 1L;

    public FleetException(String message, Throwable cause) {
        super(message, cause);
    }
}
