package dev.vigil.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Notify steps go to the caller's notifier with the rendered message; a failed delivery is a failed step. */
class NotifyExecutorTest {
    private static final Step STEP = new Step("tell", Duration.ofSeconds(5), When.ALWAYS,
            new StepAction.Notify("disk of {{host}} is full", List.of("ops", "db-team"), false));

    @Test
    void theRenderedMessageGoesToTheNamedChannels() {
        List<String> sent = new ArrayList<>();
        StepOutcome o = new NotifyExecutor((channels, message) -> {
            sent.add(channels + " " + message);
            return Notifier.Delivery.ok("sent");
        }).run(STEP, 0, Map.of("host", "db-1"));
        assertTrue(o.succeeded());
        assertEquals(List.of("[ops, db-team] disk of db-1 is full"), sent);
    }

    @Test
    void aFailedDeliveryIsAFailedStepThatSaysWhetherToRetry() {
        StepOutcome o = new NotifyExecutor((c, m) -> Notifier.Delivery.failed("slack answered 503", true))
                .run(STEP, 0, Map.of("host", "db-1"));
        assertEquals(StepOutcome.Status.FAILED, o.status());
        assertEquals("slack answered 503", o.error());
        assertTrue(o.retryable());
    }

    @Test
    void theDefaultNotifierWritesToTheLog() {
        assertTrue(new NotifyExecutor(Notifier.log()).run(STEP, 0, Map.of("host", "db-1")).succeeded());
    }
}
