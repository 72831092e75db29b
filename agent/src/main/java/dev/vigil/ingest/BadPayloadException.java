package dev.vigil.ingest;

/**
 * A request body that cannot be read at all (truncated protobuf, invalid JSON, broken snappy): the whole request is
 * refused with the protocol's "do not retry" status and changes nothing. The message names what was wrong.
 */
public class BadPayloadException extends Exception {
    public BadPayloadException(String message) {
        super(message);
    }

    public BadPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
