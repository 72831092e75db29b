/**
 * Online forecasting and anomaly detection over one series at a time: a robust trend with time-to-threshold, a
 * seasonal (daily and weekly) forecaster, and an anomaly score in [0, 1]. One pass, constant memory per series, no
 * look-ahead, the same global {@link dev.vigil.condense.forecast.ForecastParams} for every series. Pure math: no
 * Vert.x, no Drools; part of the condense stage, so it may use only {@code dev.vigil.fact}.
 */
package dev.vigil.condense.forecast;
