/**
 * The rule engine stage: compiling {@code rules/*.drl} into a KieBase and running the one KieSession in stream mode
 * on one thread. Rules turn condensed facts into {@link dev.vigil.fact.Evidence},
 * {@link dev.vigil.fact.Contraindication} and {@link dev.vigil.fact.Diagnosis}; they never act.
 * Depends only on {@code dev.vigil.fact} and {@code dev.vigil.content}.
 */
package dev.vigil.engine;
