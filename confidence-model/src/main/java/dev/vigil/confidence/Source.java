package dev.vigil.confidence;

import java.util.Locale;

/**
 * The kind of telemetry an evidence was observed in; an immutable enum, safe to share between threads.
 *
 * <p>Logs and alerts are <em>noisy</em>: one log pattern or one alert can fire for reasons other than the
 * failure it suggests, so evidence from them alone never lifts a score to strong (see
 * {@link ConfidenceModel}).
 */
public enum Source {
    /** A metric sample or a condition over metric series. */
    METRIC,
    /** A log record or a rate of matching log records; noisy. */
    LOG,
    /** Spans from distributed tracing. */
    TRACE,
    /** An alert raised by an existing monitoring stack; noisy. */
    ALERT,
    /** A change in the environment: deploy, config change, scale, restart, node drain. */
    EVENT;

    /** True for the sources whose evidence alone never reaches strong: {@link #LOG} and {@link #ALERT}. */
    public boolean noisy() {
        return this == LOG || this == ALERT;
    }

    /**
     * The source named in lower case as content files spell it ({@code "metric"}, {@code "log"}, …).
     *
     * @return the source, or {@code null} when the name is null or not exactly one of the lower-case names
     */
    public static Source parse(String lowerCaseName) {
        if (lowerCaseName == null) {
            return null;
        }
        for (Source s : values()) {
            if (s.lowerCaseName().equals(lowerCaseName)) {
                return s;
            }
        }
        return null;
    }

    /** The name as content files and reason texts spell it. */
    String lowerCaseName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
