package dev.vigil.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.Evidence;
import dev.vigil.fact.Labels;
import dev.vigil.fact.SeriesState;
import dev.vigil.fact.Target;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Conditions on live facts: thresholds, ratios, windows, staleness and absent evidence. */
class ConditionsTest {
    private final List<SeriesState> series = new ArrayList<>();
    private final List<Evidence> evidence = new ArrayList<>();
    private final LiveFacts facts = new LiveFacts() {
        @Override
        public Collection<SeriesState> series(String metric) {
            return series.stream().filter(s -> s.name().equals(metric)).toList();
        }

        @Override
        public Collection<Evidence> evidence() {
            return evidence;
        }
    };

    private SeriesState add(String metric, String service, String host, Labels labels, long... timeValuePairs) {
        SeriesState s = new SeriesState(metric, labels, service, host, false, 3_600_000, 64);
        for (int i = 0; i < timeValuePairs.length; i += 2) {
            s.add(timeValuePairs[i], timeValuePairs[i + 1]);
        }
        series.add(s);
        return s;
    }

    private static Condition.OnMetric on(String metric, Map<String, String> match, Condition.Aggregation of,
                                         Optional<Duration> over, Optional<Condition.Series> divideBy, String op, String value) {
        return new Condition.OnMetric(new Condition.Series(metric, match, of, over), divideBy,
                Condition.Comparison.parse(op), new BigDecimal(value));
    }

    private ConditionCheck check(Condition c, long notBefore) {
        return Conditions.check(List.of(c), Map.of("service", "db", "host", "db-1"), facts, notBefore).get(0);
    }

    @Test
    void aRatioOfTwoSeriesMatchedOnTheAttributedServiceHolds() {
        add("pg_stat_activity_count", "db", "db-1", Labels.of("job", "db"), 1000, 30);
        add("pg_settings_max_connections", "db", "db-1", Labels.of("job", "db"), 1000, 100);
        ConditionCheck c = check(on("pg_stat_activity_count", Map.of("service", "{{service}}"), Condition.Aggregation.VALUE,
                Optional.empty(), Optional.of(new Condition.Series("pg_settings_max_connections", Map.of("service", "{{service}}"),
                        Condition.Aggregation.VALUE, Optional.empty())), "<", "0.8"), 0);
        assertTrue(c.holds(), c.toString());
        assertEquals("pg_stat_activity_count{service=db} / pg_settings_max_connections{service=db} < 0.8", c.condition());
        assertEquals("30 over 1 series / 100 over 1 series", c.observed());
    }

    @Test
    void aWindowedRateIsComputedOverTheWindow() {
        add("errors_total", "db", "db-1", Labels.of("host", "db-1"), 0, 0, 60_000, 120, 120_000, 240);
        ConditionCheck c = check(on("errors_total", Map.of("host", "{{host}}"), Condition.Aggregation.RATE,
                Optional.of(Duration.ofMinutes(2)), Optional.empty(), ">=", "2"), 0);
        assertTrue(c.holds(), c.toString());
    }

    @Test
    void aSampleOlderThanNotBeforeCountsAsNoData() {
        add("up", "db", "db-1", Labels.of(), 1000, 1);
        ConditionCheck stale = check(on("up", Map.of("host", "{{host}}"), Condition.Aggregation.VALUE, Optional.empty(),
                Optional.empty(), "==", "1"), 2000);
        assertFalse(stale.holds());
        assertEquals("no fresh series", stale.observed());
        ConditionCheck none = check(on("up", Map.of("host", "{{host}}"), Condition.Aggregation.COUNT, Optional.empty(),
                Optional.empty(), "==", "0"), 2000);
        assertTrue(none.holds(), "count of no series is 0");
    }

    @Test
    void absentEvidenceHoldsOnlyWhileNoMatchingEvidenceHolds() {
        Condition.EvidenceAbsent absent = new Condition.EvidenceAbsent("spike", "logs", Map.of("host", "{{host}}"),
                Duration.ofMinutes(5));
        evidence.add(Evidence.of("logs", "spike", Target.serviceHost("web", "web-9"), "other host", 0));
        assertTrue(check(absent, 0).holds());
        evidence.add(Evidence.of("logs", "spike", Target.serviceHost("db", "db-1"), "this host", 0));
        ConditionCheck c = check(absent, 0);
        assertFalse(c.holds());
        assertEquals("1 holding now", c.observed());
    }
}
