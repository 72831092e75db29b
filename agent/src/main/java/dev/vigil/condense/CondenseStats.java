package dev.vigil.condense;

import java.util.Map;

/** Counts of what the condense stage took in, kept and dropped (by reason). Immutable snapshot. */
public record CondenseStats(long metricsIn, long logsIn, long spansIn, long eventsIn, long seriesActive,
                            long templatesActive, long spanStatsActive, Map<String, Long> dropped) {
    public CondenseStats {
        dropped = Map.copyOf(dropped);
    }

    public long observationsIn() {
        return metricsIn + logsIn + spansIn + eventsIn;
    }
}
