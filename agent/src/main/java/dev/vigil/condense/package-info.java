/**
 * The condense stage: bounded state per series, per log template and per service operation, updated in place from
 * raw telemetry, so working memory is O(series + templates), never O(samples). Raw samples never enter the
 * session one by one. Depends only on {@code dev.vigil.fact}.
 */
package dev.vigil.condense;
