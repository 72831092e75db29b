package dev.vigil.approval;

/** The outcome of one attempt to reach an approval channel: delivered, or failed and whether to try again. Immutable. */
public record Delivery(boolean delivered, boolean retryable, String detail) {
    public static Delivery ok(String detail) {
        return new Delivery(true, false, detail);
    }

    public static Delivery retry(String detail) {
        return new Delivery(false, true, detail);
    }

    public static Delivery fail(String detail) {
        return new Delivery(false, false, detail);
    }
}
