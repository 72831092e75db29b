/**
 * Human approval of {@code approve} decisions: first-class approval requests with expiry, the store that moves them
 * through their states and audits every transition, and the channels that reach a human (Slack, Standard Webhooks).
 * Depends on {@code dev.vigil.fact} and {@code dev.vigil.decision} only; the daemon binds the audit journal, the
 * execution guards and the playbook runner.
 */
package dev.vigil.approval;
