package dev.vigil.ingest;

/**
 * Which metric names are worth decoding: those some loaded rule refers to. Samples of other names are counted and
 * dropped at the edge, before any labels or facts are built for them (most of what a Prometheus sends). Bound in the
 * wiring to the live rule base; implementations must be thread-safe (event loops call it).
 */
@FunctionalInterface
public interface MetricFilter {
    /** Keeps every metric (tests, and a daemon wired without a filter). */
    MetricFilter ALL = name -> true;

    boolean keep(String metricName);
}
