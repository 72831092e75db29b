/**
 * The decision stage: a diagnosis is scored by the confidence model and the gate maps the score, the playbook's risk
 * and the contraindications that hold to execute, approve, notify or suppress. Depends on {@code dev.vigil.fact},
 * {@code dev.vigil.signature} and the confidence model.
 */
package dev.vigil.decision;
