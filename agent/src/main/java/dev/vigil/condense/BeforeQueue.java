package dev.vigil.condense;

import dev.vigil.fact.MetricSample;
import dev.vigil.fact.Telemetry;

/**
 * The condense stage's work that the receiving threads do before an observation is queued, so that the one engine
 * thread does not: a log record gets its template, and a sample's name and labels their hash codes (both cache them),
 * so the series lookup on the engine thread hashes nothing. Hashing the decoder's fresh strings was 12 % of the engine
 * thread's time in the decision-latency bench (JFR, agent/src/bench/RESULTS.md). Thread-safe and stateless.
 */
public final class BeforeQueue {
    private BeforeQueue() {
    }

    /** {@code t} ready for the engine thread; runs on the receiving thread, for accepted observations only. */
    public static Telemetry prepare(Telemetry t, int maxLogBodyChars) {
        if (t instanceof MetricSample m) {
            m.name().hashCode();
            m.labels().hashCode();
            return m;
        }
        return LogTemplates.templated(t, maxLogBodyChars);
    }
}
