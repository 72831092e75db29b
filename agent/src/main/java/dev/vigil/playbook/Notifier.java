package dev.vigil.playbook;

import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@code notify} steps send their messages; owned by the caller and bound in the wiring (Slack, a webhook).
 * Implementations are thread-safe and never throw for a delivery failure: they return it.
 */
@FunctionalInterface
public interface Notifier {
    /** Sends {@code message} to the named channels. */
    Delivery send(List<String> channels, String message);

    /** Whether a message got through, and if not, whether trying again could help. Immutable. */
    record Delivery(boolean delivered, String detail, boolean retryable) {
        public Delivery {
            Objects.requireNonNull(detail, "detail");
        }

        public static Delivery ok(String detail) {
            return new Delivery(true, detail, false);
        }

        public static Delivery failed(String detail, boolean retryable) {
            return new Delivery(false, detail, retryable);
        }
    }

    /** The default: writes each message to the log (logger {@code dev.vigil.playbook.notify}); always delivered. */
    static Notifier log() {
        Logger log = LoggerFactory.getLogger("dev.vigil.playbook.notify");
        return (channels, message) -> {
            log.warn("notify {}: {}", channels, message);
            return Delivery.ok("written to the log for " + String.join(", ", channels));
        };
    }
}
