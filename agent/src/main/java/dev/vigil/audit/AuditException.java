package dev.vigil.audit;

/**
 * An audit record could not be written or made durable, or a journal could not be opened; immutable.
 *
 * <p>Audit writes fail closed: whoever gets this must not take the action the record was meant to cover.
 */
public final class AuditException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuditException(String message) {
        super(message);
    }

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
