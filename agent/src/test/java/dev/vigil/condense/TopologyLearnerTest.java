package dev.vigil.condense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.ServiceNode;
import dev.vigil.fact.SpanKind;
import dev.vigil.fact.SpanRecord;
import dev.vigil.fact.SpanStatus;
import dev.vigil.fact.Topology;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyLearnerTest {
    private static final long MINUTE = 60_000;
    private static final Topology CONFIGURED = new Topology(List.of(
            new ServiceNode("orders-db", "postgres", List.of("db-1"), List.of()),
            new ServiceNode("billing", "http", List.of("app-9"), List.of("ledger"))));

    private static SpanRecord span(String service, SpanKind kind, Map<String, String> attributes, long t) {
        return new SpanRecord(service, "call", kind, 3, SpanStatus.OK, "", "", "", attributes, t);
    }

    @Test
    void aClientSpanGivesAnEdgeAndAHostNamesItsService() {
        TopologyLearner l = new TopologyLearner(CONFIGURED, 15 * MINUTE, 100);
        assertTrue(l.observe(span("checkout", SpanKind.CLIENT, Map.of("server.address", "db-1"), 0)));
        assertFalse(l.observe(span("checkout", SpanKind.CLIENT, Map.of("server.address", "db-1"), 1)), "seen before");
        assertTrue(l.observe(span("checkout", SpanKind.CLIENT, Map.of("peer.service", "redis"), 2)));
        Topology t = l.current(3);
        assertEquals(List.of("orders-db", "redis"), t.service("checkout").orElseThrow().dependsOn());
        assertEquals("postgres", t.service("orders-db").orElseThrow().kind(), "configured facts about a service stay");
    }

    @Test
    void serverSpansAndSelfCallsTeachNothing() {
        TopologyLearner l = new TopologyLearner(Topology.EMPTY, 15 * MINUTE, 100);
        assertFalse(l.observe(span("checkout", SpanKind.SERVER, Map.of("server.address", "x"), 0)));
        assertFalse(l.observe(span("checkout", SpanKind.CLIENT, Map.of("peer.service", "checkout"), 0)));
        assertFalse(l.observe(span("checkout", SpanKind.CLIENT, Map.of(), 0)));
        assertEquals(0, l.learnedEdges());
    }

    @Test
    void anEdgeNotSeenForTheTtlExpires() {
        TopologyLearner l = new TopologyLearner(Topology.EMPTY, 15 * MINUTE, 100);
        l.observe(span("checkout", SpanKind.CLIENT, Map.of("peer.service", "redis"), 0));
        assertEquals(List.of("redis"), l.current(10 * MINUTE).service("checkout").orElseThrow().dependsOn());
        assertTrue(l.current(16 * MINUTE).service("checkout").isEmpty());
        assertEquals(0, l.learnedEdges());
    }

    @Test
    void configuredDependenciesWinOverLearnedOnes() {
        TopologyLearner l = new TopologyLearner(CONFIGURED, 15 * MINUTE, 100);
        l.observe(span("billing", SpanKind.CLIENT, Map.of("peer.service", "cache"), 0));
        assertEquals(List.of("ledger"), l.current(1).service("billing").orElseThrow().dependsOn());
    }

    @Test
    void edgesAreBoundedAndTheLeastRecentGoesFirst() {
        TopologyLearner l = new TopologyLearner(Topology.EMPTY, 15 * MINUTE, 2);
        l.observe(span("a", SpanKind.CLIENT, Map.of("peer.service", "x"), 0));
        l.observe(span("b", SpanKind.CLIENT, Map.of("peer.service", "x"), 1));
        l.observe(span("c", SpanKind.CLIENT, Map.of("peer.service", "x"), 2));
        assertEquals(2, l.learnedEdges());
        assertTrue(l.current(3).service("a").isEmpty());
    }
}
