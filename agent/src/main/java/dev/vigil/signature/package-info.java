/**
 * Failure signatures: loading and validating {@code signatures/*.yaml}, the catalog, and the linter that checks
 * every cross-reference between rules, signatures and playbooks. Depends on {@code dev.vigil.fact} and
 * {@code dev.vigil.content}.
 */
package dev.vigil.signature;
