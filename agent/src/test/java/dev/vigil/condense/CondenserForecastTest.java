package dev.vigil.condense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.Forecast;
import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.fact.SeriesState;
import dev.vigil.fact.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The online detectors as the condense stage runs them on live series: one point per step, a Forecast fact per series. */
class CondenserForecastTest {
    private static final long MINUTE = 60_000;
    private static final long DAY = 86_400_000L;

    /** Records what the engine would have been told, replacements included. */
    static final class RecordingSink extends CondenserTest.RecordingSink {
        final List<Object[]> replaced = new ArrayList<>();

        @Override
        public void replace(Object previous, Object next) {
            replaced.add(new Object[] {previous, next});
        }

        Forecast newest() {
            if (!replaced.isEmpty()) {
                return (Forecast) replaced.get(replaced.size() - 1)[1];
            }
            return (Forecast) upserts.stream().filter(Forecast.class::isInstance).reduce((a, b) -> b).orElse(null);
        }
    }

    private final RecordingSink sink = new RecordingSink();
    private final Condenser condenser = new Condenser(CondenseConfig.defaults(),
            Set.of("node_filesystem_avail_bytes", "up", "http_requests_total"),
            Set.of("node_filesystem_avail_bytes", "http_requests_total"), ForecastConfig.defaults(), sink);

    private static final Labels DISK = Labels.of("host", "app-4", "mountpoint", "/var/log");

    private void gauge(String name, Labels labels, long t, double v) {
        condenser.accept(new MetricSample(name, labels, v, MetricType.GAUGE, t));
    }

    @Test
    @DisplayName("a series no rule forecasts gets no detectors and no forecast")
    void seriesNotForecastGetNone() {
        for (int i = 0; i < 10; i++) {
            gauge("up", Labels.of("service", "api"), i * MINUTE, 1);
            condenser.flush();
        }
        assertTrue(sink.upserts.stream().noneMatch(Forecast.class::isInstance));
        assertEquals(0, condenser.forecastSeries());
    }

    @Test
    @DisplayName("the forecast appears once the first step closes, and is then replaced, never added, at each step")
    void forecastIsReplacedStepByStep() {
        for (int i = 0; i < 4 * 4; i++) { // 15 s scrapes for 4 minutes: steps close at minutes 1, 2 and 3
            gauge("node_filesystem_avail_bytes", DISK, i * 15_000L, 1e9 - i * 1e6);
            condenser.flush();
        }
        assertEquals(1, sink.upserts.stream().filter(Forecast.class::isInstance).count());
        assertEquals(2, sink.replaced.size());
        assertSame(sink.replaced.get(0)[1], sink.replaced.get(1)[0], "each replacement replaces the one before");
        Forecast f = sink.newest();
        assertEquals(3, f.steps());
        assertEquals("/var/log", f.label("mountpoint"));
        assertEquals("app-4", f.host());
        assertEquals(2 * MINUTE + 45_000, f.time(), "a step's point is taken at its newest sample");
        assertEquals(1e9 - 11e6, f.value(), 1e-3, "a gauge's point is its minimum over the step");
    }

    @Test
    @DisplayName("a linear fill reaches zero when the trend says, within the uncertainty it states")
    void linearFillTimeToThresholdHoldsTheTruth() {
        // 1 MiB/s out of 8 GiB with bursts of up to 16 MiB: empty at 8192 s
        java.util.Random noise = new java.util.Random(3);
        long last = 0;
        for (long t = 0; t <= 2400_000; t += 30_000) {
            gauge("node_filesystem_avail_bytes", DISK, t, 8192.0 * 1048576 - 1048576.0 * t / 1000 - noise.nextDouble() * 16 * 1048576);
            condenser.flush();
            last = t;
        }
        Forecast f = sink.newest();
        // full when the line plus the burst of the moment reach zero: between 8176 s (a 16 MiB burst) and 8192 s
        double earliest = 8176 - f.time() / 1000.0;
        double latest = 8192 - f.time() / 1000.0;
        double eta = f.secondsUntil(0);
        double plusMinus = f.uncertaintySeconds(0);
        assertTrue(Double.isFinite(plusMinus) && plusMinus > 0, "uncertainty " + plusMinus);
        assertTrue(eta - plusMinus <= latest && eta + plusMinus >= earliest,
                "eta " + eta + " ± " + plusMinus + ", truth between " + earliest + " and " + latest);
        assertTrue(f.spanSeconds() >= 1800, "fitted over " + f.spanSeconds());
        assertTrue(f.describeUntil(0).startsWith("in 1h ") && f.describeUntil(0).contains(" ± "), f.describeUntil(0));
        assertTrue(last >= f.time());
    }

    @Test
    @DisplayName("a counter's point is its rate over the step, counted through a reset")
    void counterPointIsItsRate() {
        Labels l = Labels.of("service", "shop", "instance", "a:80");
        double v = 0;
        for (int i = 0; i <= 12; i++) {
            v = i == 8 ? 30 : v + 15 * 20; // 20 req/s; a restart at the 8th scrape counts 30 since
            condenser.accept(new MetricSample("http_requests_total", l, v, MetricType.COUNTER, i * 15_000L));
            condenser.flush();
        }
        Forecast f = sink.newest();
        Forecast first = (Forecast) sink.upserts.stream().filter(Forecast.class::isInstance).findFirst().orElseThrow();
        assertEquals(20.0, first.value(), 1e-9);
        assertEquals((3 * 300 + 30) / 60.0, f.value(), 1e-9, "the step with the reset counts what the counter counted since");
    }

    @Test
    @DisplayName("the usual peak is unknown until the series has shown a whole day, then it is the daily cycle's")
    void usualPeakNeedsADay() {
        Labels l = Labels.of("host", "h", "mountpoint", "/data");
        Forecast firstDay = null;
        for (long t = 0; t <= 2 * DAY; t += MINUTE) {
            double hour = (t % DAY) / 3_600_000.0;
            gauge("node_filesystem_avail_bytes", l, t, hour >= 8 && hour < 18 ? 500 : 100);
            condenser.flush();
            if (t == DAY / 2) {
                firstDay = sink.newest();
            }
        }
        assertNotNull(firstDay);
        assertTrue(Double.isNaN(firstDay.usualPeak()), "no daily cycle known after half a day");
        // the newest step is at midnight of day 2: the next hour is night, the usual is about 100
        Forecast f = sink.newest();
        assertEquals(100, f.usualPeak(), 20);
        assertFalse(f.anomalous(), "a cycle seen before is not anomalous: " + f.anomalyScore());
    }

    @Test
    @DisplayName("a rule reload keeps the detectors of the names still forecast and drops the others with their forecast")
    void reloadKeepsDetectorState() {
        for (int i = 0; i < 5; i++) {
            gauge("node_filesystem_avail_bytes", DISK, i * MINUTE, 1e9 - i * 1e6);
            condenser.flush();
        }
        long steps = sink.newest().steps();
        condenser.forecastMetrics(Set.of("node_filesystem_avail_bytes"));
        gauge("node_filesystem_avail_bytes", DISK, 5 * MINUTE, 1e9 - 5e6);
        condenser.flush();
        assertEquals(steps + 1, sink.newest().steps(), "the detectors went on where they were");

        Forecast before = sink.newest();
        condenser.forecastMetrics(Set.of());
        assertTrue(sink.deletes.contains(before), "the forecast of a name no rule forecasts leaves the session");
        assertEquals(0, condenser.forecastSeries());
    }

    @Test
    @DisplayName("a series that stops reporting leaves memory with its forecast")
    void expiredSeriesTakeTheirForecastAlong() {
        for (int i = 0; i < 3; i++) {
            gauge("node_filesystem_avail_bytes", DISK, i * MINUTE, 1e9);
            condenser.flush();
        }
        Forecast f = sink.newest();
        condenser.expire(3 * MINUTE + CondenseConfig.defaults().idleMillis());
        assertTrue(sink.deletes.contains(f));
        assertTrue(sink.deletes.stream().anyMatch(SeriesState.class::isInstance));
        assertEquals(0, condenser.forecastSeries());
    }

    @Test
    @DisplayName("detectors are bounded: series beyond max_series are not forecast, and counted")
    void detectorsAreBounded() {
        ForecastConfig one = new ForecastConfig(ForecastConfig.defaults().detectors(), MINUTE, 20, 3_600_000L, 0.8, 1);
        Condenser small = new Condenser(CondenseConfig.defaults(), Set.of("node_filesystem_avail_bytes"),
                Set.of("node_filesystem_avail_bytes"), one, sink);
        small.accept(new MetricSample("node_filesystem_avail_bytes", DISK, 1, MetricType.GAUGE, 0));
        small.accept(new MetricSample("node_filesystem_avail_bytes", Labels.of("host", "b"), 1, MetricType.GAUGE, 0));
        assertEquals(1, small.forecastSeries());
        assertEquals(1L, small.stats().dropped().get("forecast_series_limit"));
    }

    @Test
    @DisplayName("a forecast belongs to a target by its resolved service and host and its own labels")
    void belongsToTarget() {
        for (int i = 0; i < 3; i++) {
            gauge("node_filesystem_avail_bytes", DISK, i * MINUTE, 1e9);
            condenser.flush();
        }
        Forecast f = sink.newest();
        assertTrue(f.belongsTo(Target.of("host", "app-4", "mountpoint", "/var/log")));
        assertFalse(f.belongsTo(Target.of("host", "app-4", "mountpoint", "/")));
        assertEquals(Target.of("host", "app-4", "mountpoint", "/var/log"), f.target("mountpoint"));
    }
}
