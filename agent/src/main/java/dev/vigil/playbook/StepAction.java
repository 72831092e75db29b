package dev.vigil.playbook;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one step does, per executor, with {@code {{parameter}}} templates still in place. Immutable.
 *
 * <p>Templates are only allowed where a value cannot change the shape of the action: a whole argument, a URL path
 * segment or query value (percent-encoded), a JSON string value, a Kubernetes object name, the text of a message.
 */
public sealed interface StepAction
        permits StepAction.Exec, StepAction.Http, StepAction.Sql, StepAction.Kubernetes, StepAction.Notify {

    /** The executor that runs this action. */
    Executor executor();

    /** Every text of this action that may hold templates, to find the parameters it needs. */
    List<String> templated();

    /**
     * Starts {@code playbooks/scripts/<script>} with an argument vector; no shell is ever involved. Immutable.
     *
     * @param args  literal arguments, or exactly one {@code {{parameter}}} each, so a value is always one argument
     * @param host  where the script runs (a template naming a hostname parameter); empty for the agent's own host
     */
    record Exec(String script, List<String> args, Optional<String> host) implements StepAction {
        public Exec {
            Objects.requireNonNull(script, "script");
            args = List.copyOf(args);
            Objects.requireNonNull(host, "host");
        }

        @Override
        public Executor executor() {
            return Executor.EXEC;
        }

        /** The script's path relative to the content root. */
        public String path() {
            return "playbooks/scripts/" + script;
        }

        @Override
        public List<String> templated() {
            List<String> out = new ArrayList<>(args);
            host.ifPresent(out::add);
            return out;
        }
    }

    /**
     * One HTTP request. Immutable.
     *
     * @param url       scheme and literal parts fixed; templates only as host, port, path segments and query values
     * @param headers   literal headers (no templates)
     * @param body      a JSON object as text whose string values may hold templates; empty for no body
     * @param revert    a temporary change: the request to send again after a time-to-live
     */
    record Http(String method, String url, Map<String, String> headers, Optional<String> body,
                List<Integer> expectStatus, boolean insecureSkipVerify, Optional<Revert> revert) implements StepAction {
        public Http {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(url, "url");
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            Objects.requireNonNull(body, "body");
            expectStatus = List.copyOf(expectStatus);
            Objects.requireNonNull(revert, "revert");
        }

        @Override
        public Executor executor() {
            return Executor.HTTP;
        }

        @Override
        public List<String> templated() {
            List<String> out = new ArrayList<>();
            out.add(url);
            body.ifPresent(out::add);
            revert.flatMap(Revert::body).ifPresent(out::add);
            return out;
        }
    }

    /** The same request again, with this body (JSON text, templates allowed), once {@code after} has passed. Immutable. */
    record Revert(Duration after, Optional<String> body) {
        public Revert {
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(body, "body");
        }
    }

    /**
     * One SQL statement on a named connection (from config), values only as bind parameters. Immutable.
     *
     * @param statement literal text with {@code :name} placeholders, never templates
     * @param bind      the parameters the placeholders name
     */
    record Sql(String connection, String statement, List<String> bind) implements StepAction {
        public Sql {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(statement, "statement");
            bind = List.copyOf(bind);
        }

        @Override
        public Executor executor() {
            return Executor.SQL;
        }

        @Override
        public List<String> templated() {
            return List.of(connection);
        }
    }

    /** The Kubernetes actions a playbook may take. Immutable. */
    enum KubernetesVerb {
        ROLLOUT_RESTART, ROLLOUT_UNDO, SCALE, PATCH_LIMITS, CORDON_DRAIN;

        /** The content form ({@code rollout-restart}, …). */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** Parses the content form; null when unknown. */
        public static KubernetesVerb parse(String text) {
            for (KubernetesVerb v : values()) {
                if (v.wireName().equals(text)) {
                    return v;
                }
            }
            return null;
        }
    }

    /** The object a Kubernetes action is about; namespace is empty for a Node. Templates allowed in all three. Immutable. */
    record KubernetesObject(String kind, String namespace, String name) {
        public KubernetesObject {
            Objects.requireNonNull(kind, "kind");
            namespace = namespace == null ? "" : namespace;
            Objects.requireNonNull(name, "name");
        }
    }

    /** Scale by {@code delta} replicas, never above {@code maxReplicas} (a number or a template). Immutable. */
    record Scale(int delta, String maxReplicas) {
        public Scale {
            Objects.requireNonNull(maxReplicas, "maxReplicas");
        }
    }

    /** Multiply a container's {@code resource} limit by {@code factor}, never above {@code max} (a quantity or a template). Immutable. */
    record LimitPatch(String resource, BigDecimal factor, String max) {
        public LimitPatch {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(factor, "factor");
            Objects.requireNonNull(max, "max");
        }
    }

    /** One Kubernetes action with the bounds it needs: {@code scale} for SCALE, {@code patch} for PATCH_LIMITS. Immutable. */
    record Kubernetes(KubernetesVerb action, KubernetesObject object, Optional<String> container,
                      Optional<Scale> scale, Optional<LimitPatch> patch) implements StepAction {
        public Kubernetes {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(object, "object");
            Objects.requireNonNull(container, "container");
            Objects.requireNonNull(scale, "scale");
            Objects.requireNonNull(patch, "patch");
        }

        @Override
        public Executor executor() {
            return Executor.KUBERNETES;
        }

        @Override
        public List<String> templated() {
            List<String> out = new ArrayList<>(List.of(object.kind(), object.namespace(), object.name()));
            container.ifPresent(out::add);
            scale.ifPresent(s -> out.add(s.maxReplicas()));
            patch.ifPresent(p -> out.add(p.max()));
            return out;
        }
    }

    /** A message to the owners on the named channels, optionally with the decision's evidence attached. Immutable. */
    record Notify(String message, List<String> channels, boolean includeEvidence) implements StepAction {
        public Notify {
            Objects.requireNonNull(message, "message");
            channels = List.copyOf(channels);
        }

        @Override
        public Executor executor() {
            return Executor.NOTIFY;
        }

        @Override
        public List<String> templated() {
            return List.of(message);
        }
    }
}
