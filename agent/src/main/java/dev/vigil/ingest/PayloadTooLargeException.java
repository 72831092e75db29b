package dev.vigil.ingest;

/** A body over a size limit, before or after decompression, or with too many items: refused with 413. */
public final class PayloadTooLargeException extends BadPayloadException {
    public PayloadTooLargeException(String message) {
        super(message);
    }
}
