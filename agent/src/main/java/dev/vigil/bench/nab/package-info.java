/**
 * The Numenta Anomaly Benchmark (NAB) harness: reading a NAB data folder, streaming each series through the
 * anomaly detector as live data would flow, writing NAB results files, and scoring them with NAB's published
 * method (scaled-sigmoid window scoring, cost profiles, one threshold per profile, normalised between the null and
 * the perfect detector). Wiring-level code: it may use what {@code daemon} uses, and {@code daemon}.
 */
package dev.vigil.bench.nab;
