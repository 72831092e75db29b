package dev.vigil.approval;

import java.util.Objects;

/**
 * What the store made of an answer (approve, deny) or of a message on an approval channel: accepted with the request
 * as it now stands, or refused with the reason. Refusals are values, and each is audited. Immutable.
 *
 * @param request the request as it stands after the answer; null when no request was identified
 */
public record Answer(Code code, String message, ApprovalRequest request) {
    /** Why an answer was accepted or refused; each maps to one HTTP status. */
    public enum Code {
        ACCEPTED(200),
        /** The message is not signed by the shared secret, or its signature or timestamp is missing or malformed. */
        BAD_SIGNATURE(401),
        /** The signed timestamp is more than the allowed window away from now, in the past or the future. */
        STALE(401),
        /** The same signed message was seen before. */
        REPLAYED(409),
        /** Signed and fresh, but its body is not an answer Vigil understands. */
        MALFORMED(400),
        /** The person answering is not an allowed approver. */
        NOT_ALLOWED(403),
        NO_SUCH_REQUEST(404),
        /** The request is no longer pending (approved, denied, expired or cancelled). */
        NOT_PENDING(409),
        /** This approver already said yes; a second approver must be someone else. */
        DUPLICATE_APPROVER(409),
        /** Too many messages to remember for replay protection right now; try again. */
        BUSY(503);

        private final int httpStatus;

        Code(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    public Answer {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public boolean accepted() {
        return code == Code.ACCEPTED;
    }

    static Answer refused(Code code, String message) {
        return new Answer(code, message, null);
    }
}
