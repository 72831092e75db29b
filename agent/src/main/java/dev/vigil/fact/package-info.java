/**
 * The fact model: immutable telemetry records, the topology, and the derived facts the rules see.
 *
 * <p>This package depends on nothing else in Vigil. Raw telemetry ({@link dev.vigil.fact.Telemetry})
 * and rule outputs ({@link dev.vigil.fact.Evidence}, {@link dev.vigil.fact.Contraindication},
 * {@link dev.vigil.fact.Diagnosis}) are immutable records. The condensed state facts
 * ({@link dev.vigil.fact.SeriesState}, {@link dev.vigil.fact.LogPatternRate}, {@link dev.vigil.fact.SpanStats})
 * are updated in place by the condense stage and are confined to the engine thread.
 */
package dev.vigil.fact;
