package dev.vigil.fact;

import java.util.Map;
import java.util.Objects;

/** One alert as an Alertmanager webhook delivers it. */
public record Alert(String status, Labels labels, Map<String, String> annotations, long startsAtMillis,
                    long timeMillis) implements Telemetry {
    public Alert {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(labels, "labels");
        annotations = Map.copyOf(annotations);
    }

    public boolean firing() {
        return "firing".equals(status);
    }
}
