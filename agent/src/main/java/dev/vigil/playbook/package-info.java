/**
 * Playbooks: loading {@code playbooks/*.yaml} against {@code playbook.schema.json} plus the checks a schema cannot
 * express, pinning them ({@code playbooks.lock}), binding typed parameters to untrusted telemetry, planning (dry-run)
 * what each step would do, and running them for real ({@link dev.vigil.playbook.PlaybookRunner}: guards, kill switch,
 * executors, verification, rollback, circuits, track records).
 *
 * <p>Implementation notes (choices that may look odd):
 * <ul>
 *   <li>A value from telemetry reaches a step only as a parameter that {@link dev.vigil.playbook.ParameterBinder}
 *       validated against its type (string pattern, bounds, enum, host name, path under roots, duration), and
 *       {@link dev.vigil.playbook.DryRunPlanner} checks it again. No value may hold a control character or be
 *       longer than 1024 characters, whatever its type.</li>
 *   <li>Templates are allowed only where a value cannot change the shape of an action, and the loader rejects
 *       them anywhere else: an {@code exec} argument is a literal or exactly one template (a value is one whole
 *       argv element, no shell ever runs); URL templates sit in the host (a hostname parameter), the port (an
 *       integer parameter within 1-65535), path segments and query values, which are percent-encoded; HTTP
 *       bodies are JSON whose string values are rendered as strings; SQL statements hold no templates at all,
 *       only {@code :name} bind placeholders. Substitution is one pass: a value that looks like a template stays
 *       text.</li>
 *   <li>A step may carry {@code when} (an enum parameter's value, or whether a parameter is bound), so one
 *       playbook restarts through Kubernetes when the target has a namespace and through systemd otherwise. A
 *       parameter marked {@code required: false} must still have a value when a step that runs, a precondition or
 *       the verification names it.</li>
 *   <li>Parameters read the labels of the diagnosis target first and the evidence bindings after
 *       ({@code from: [target.host, evidence.host]}), so a signature whose target is a service alone can still
 *       name the host its evidence saw.</li>
 *   <li>Conditions (preconditions and verification) are either a threshold on a metric, optionally divided by a
 *       second series for ratios, or the absence of an evidence key for a while ("the symptom stopped"), for what
 *       no metric states (resolve errors in logs, a latency back under its baseline).</li>
 *   <li>The {@code http}, {@code sql} and {@code kubernetes} executors render a step through the same
 *       {@code RenderedHttp}, {@code RenderedSql} and {@code RenderedKubernetes} the dry-run planner uses, so the
 *       audited plan is exactly what runs. Each checks again what it is about to send (every value present, no
 *       control character, host and port values that are a host name and a port, Kubernetes names that are DNS-1123
 *       names) and refuses rather than sends. HTTP redirects are never followed; SQL values are bound as untyped
 *       text so the server types them by their place; every Kubernetes change is a replace carrying the
 *       {@code resourceVersion} it was read at.</li>
 * </ul>
 */
package dev.vigil.playbook;
