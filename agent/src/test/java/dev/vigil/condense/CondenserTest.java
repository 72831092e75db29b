package dev.vigil.condense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.Labels;
import dev.vigil.fact.LogPatternRate;
import dev.vigil.fact.LogRecord;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.fact.Now;
import dev.vigil.fact.SeriesState;
import dev.vigil.fact.Severity;
import dev.vigil.fact.SpanKind;
import dev.vigil.fact.SpanRecord;
import dev.vigil.fact.SpanStats;
import dev.vigil.fact.SpanStatus;
import dev.vigil.fact.ServiceNode;
import dev.vigil.fact.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CondenserTest {
    /** Records what the engine would have been told. */
    static class RecordingSink implements FactSink {
        final List<Object> upserts = new ArrayList<>();
        final List<Object> events = new ArrayList<>();
        final List<Object> deletes = new ArrayList<>();

        @Override
        public void upsert(Object fact) {
            upserts.add(fact);
        }

        @Override
        public void insertEvent(Object event) {
            events.add(event);
        }

        @Override
        public void delete(Object fact) {
            deletes.add(fact);
        }
    }

    private final RecordingSink sink = new RecordingSink();
    private final Condenser condenser = new Condenser(CondenseConfig.defaults(), Set.of("up", "hikaricp_connections_active"), sink);

    private static MetricSample sample(String name, double v, long t, String... labels) {
        return new MetricSample(name, Labels.of(labels), v, MetricType.GAUGE, t);
    }

    @Test
    void metricsNoRuleRefersToAreCountedAndDroppedAtTheEdge() {
        condenser.accept(sample("node_network_receive_bytes_total", 1, 0, "host", "a"));
        condenser.flush();
        assertTrue(sink.upserts.isEmpty());
        assertEquals(1L, condenser.stats().dropped().get("metric_not_referenced"));
        assertEquals(0, condenser.stats().seriesActive());
    }

    @Test
    void manySamplesOfOneSeriesReachTheEngineAsOneUpdatePerBatch() {
        for (int i = 0; i < 100; i++) {
            condenser.accept(sample("up", 1, i * 1000L, "service", "api", "host", "h1"));
        }
        condenser.flush();
        assertEquals(1, sink.upserts.size());
        SeriesState s = (SeriesState) sink.upserts.get(0);
        assertEquals(100, s.samples());
        assertEquals("api", s.service());
        assertEquals("h1", s.host());
    }

    @Test
    void jobAndInstanceNameTheTargetWhenServiceAndHostAreAbsent() {
        condenser.accept(sample("up", 0, 0, "job", "node-exporter", "instance", "web-1:9100"));
        condenser.flush();
        SeriesState s = (SeriesState) sink.upserts.get(0);
        assertEquals("node-exporter", s.service());
        assertEquals("web-1", s.host());
    }

    @Test
    void theTopologyNamesTheServiceOfAHostWithoutServiceLabels() {
        condenser.topology(new Topology(List.of(new ServiceNode("web", "", List.of("web-1"), List.of()))));
        condenser.accept(sample("up", 1, 0, "host", "web-1"));
        condenser.flush();
        assertEquals("web", ((SeriesState) sink.upserts.get(0)).service());
    }

    @Test
    void logLinesThatDifferOnlyInNumbersShareOneTemplatePerServiceAndHost() {
        condenser.accept(new LogRecord("checkout", "app-1", Severity.ERROR, "request timed out after 30000ms", Map.of(), 1_000));
        condenser.accept(new LogRecord("checkout", "app-1", Severity.ERROR, "request timed out after 5000ms", Map.of(), 2_000));
        condenser.accept(new LogRecord("checkout", "app-2", Severity.ERROR, "request timed out after 5000ms", Map.of(), 2_000));
        condenser.flush();
        assertEquals(2, sink.upserts.size());
        LogPatternRate app1 = (LogPatternRate) sink.upserts.stream()
                .filter(o -> ((LogPatternRate) o).host().equals("app-1")).findFirst().orElseThrow();
        assertEquals(2, app1.count(new Now(2_000), 120));
        assertEquals(1_000, app1.firstSeen());
    }

    @Test
    void aRecordTemplatedByItsReceiverJoinsTheRecordsTemplatedHere() {
        condenser.accept(new LogRecord("checkout", "app-1", Severity.ERROR, "request timed out after 30000ms", Map.of(), 1_000));
        condenser.accept(LogTemplates.templated(
                new LogRecord("checkout", "app-1", Severity.ERROR, "request timed out after 5000ms", Map.of(), 2_000), 8_192));
        condenser.flush();
        assertEquals(1, sink.upserts.size(), "one template, whichever thread computed it");
        assertEquals(2, ((LogPatternRate) sink.upserts.get(0)).count(new Now(2_000), 120));
    }

    @Test
    void clientSpansAreCountedPerDependencyWithDbSystemEitherWay() {
        condenser.accept(new SpanRecord("checkout", "SELECT", SpanKind.CLIENT, 6_000, SpanStatus.ERROR, null, null, null,
                Map.of("db.system", "postgresql", "server.address", "orders-db", "host.name", "app-1"), 1_000));
        condenser.accept(new SpanRecord("checkout", "SELECT", SpanKind.CLIENT, 10, SpanStatus.OK, null, null, null,
                Map.of("db.system.name", "postgresql", "server.address", "orders-db", "host.name", "app-1"), 2_000));
        condenser.flush();
        assertEquals(1, sink.upserts.size(), "both attribute versions count for one dependency");
        SpanStats stats = (SpanStats) sink.upserts.get(0);
        assertEquals("orders-db", stats.peer());
        assertEquals(2, stats.total(new Now(2_000), 60));
        assertEquals(1, stats.slowErrors(new Now(2_000), 60));
    }

    @Test
    void stateThatStopsReportingIsDroppedAfterTheIdleTime() {
        condenser.accept(sample("up", 1, 0, "service", "api"));
        condenser.flush();
        Object state = sink.upserts.get(0);
        condenser.expire(CondenseConfig.defaults().idleMillis() + 1);
        assertEquals(1, sink.deletes.size());
        assertSame(state, sink.deletes.get(0));
        assertEquals(0, condenser.stats().seriesActive());
    }

    @Test
    void theSeriesLimitDropsNewSeriesAndCountsThem() {
        Condenser small = new Condenser(new CondenseConfig(3_600_000, 16, 900_000, 10_000, 18, 5_000, 2, 10, 64, 1024),
                Set.of("up"), sink);
        for (int i = 0; i < 5; i++) {
            small.accept(sample("up", 1, 0, "service", "s" + i));
        }
        assertEquals(2, small.stats().seriesActive());
        assertEquals(3L, small.stats().dropped().get("series_limit"));
    }
}
