package dev.vigil.playbook;

import java.util.Map;
import java.util.Objects;

/** Runs {@code notify} steps: renders the message with the validated values and hands it to a {@link Notifier}. Thread-safe. */
public final class NotifyExecutor implements StepExecutor {
    private final Notifier notifier;

    public NotifyExecutor(Notifier notifier) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
    }

    @Override
    public Executor kind() {
        return Executor.NOTIFY;
    }

    @Override
    public StepOutcome run(Step step, int index, Map<String, String> values) {
        if (!(step.action() instanceof StepAction.Notify notify)) {
            throw new IllegalArgumentException("step " + step.name() + " is " + step.executor().wireName() + ", not notify");
        }
        for (String name : Templates.needed(step)) {
            if (!values.containsKey(name)) {
                return StepOutcome.refused("step " + step.name() + " needs parameter " + name + ", which has no value");
            }
        }
        String message = Templates.render(notify.message(), values::get);
        long t0 = System.nanoTime();
        Notifier.Delivery d = notifier.send(notify.channels(), message);
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        return d.delivered() ? StepOutcome.succeeded(d.detail(), elapsed)
                : StepOutcome.failed("", d.detail(), elapsed, d.retryable());
    }
}
