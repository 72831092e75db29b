package dev.vigil.playbook;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The exact Kubernetes action a {@code kubernetes} step takes, with its object and bounds: rendered once here for
 * both the dry-run plan and {@link KubernetesExecutor}, so the audited plan is what runs. Immutable.
 *
 * @param namespace   empty for a Node
 * @param container   the container whose limit {@code patch-limits} raises
 * @param delta       replicas {@code scale} adds (0 for other actions)
 * @param maxReplicas the most replicas {@code scale} may leave (0 for other actions)
 * @param resource    the limit {@code patch-limits} raises ({@code cpu} or {@code memory}); empty otherwise
 * @param factor      what {@code patch-limits} multiplies the limit by (1 for other actions)
 * @param maxLimit    the quantity {@code patch-limits} never exceeds; empty otherwise
 */
record RenderedKubernetes(StepAction.KubernetesVerb action, String kind, String namespace, String name,
                          Optional<String> container, int delta, long maxReplicas, String resource,
                          BigDecimal factor, String maxLimit) {
    RenderedKubernetes {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(factor, "factor");
        Objects.requireNonNull(maxLimit, "maxLimit");
    }

    /** Renders the action; throws {@link IllegalArgumentException} when {@code max_replicas} is not an integer. */
    static RenderedKubernetes render(StepAction.Kubernetes k8s, UnaryOperator<String> valueOf) {
        Optional<StepAction.Scale> scale = k8s.scale();
        Optional<StepAction.LimitPatch> patch = k8s.patch();
        return new RenderedKubernetes(k8s.action(),
                Templates.render(k8s.object().kind(), valueOf),
                Templates.render(k8s.object().namespace(), valueOf),
                Templates.render(k8s.object().name(), valueOf),
                k8s.container().map(c -> Templates.render(c, valueOf)),
                scale.map(StepAction.Scale::delta).orElse(0),
                scale.map(s -> Long.parseLong(Templates.render(s.maxReplicas(), valueOf))).orElse(0L),
                patch.map(StepAction.LimitPatch::resource).orElse(""),
                patch.map(StepAction.LimitPatch::factor).orElse(BigDecimal.ONE),
                patch.map(p -> Templates.render(p.max(), valueOf)).orElse(""));
    }

    boolean isScale() {
        return action == StepAction.KubernetesVerb.SCALE;
    }

    boolean isPatch() {
        return action == StepAction.KubernetesVerb.PATCH_LIMITS;
    }

    /** {@code namespace/name}, or the name alone for a Node. */
    String objectName() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** Adds the plan's detail fields, in their stable order. */
    void describe(Map<String, Object> detail) {
        detail.put("action", action.wireName());
        detail.put("kind", kind);
        if (!namespace.isEmpty()) {
            detail.put("namespace", namespace);
        }
        detail.put("name", name);
        container.ifPresent(c -> detail.put("container", c));
        if (isScale()) {
            detail.put("delta", delta);
            detail.put("max_replicas", maxReplicas);
        }
        if (isPatch()) {
            detail.put("resource", resource);
            detail.put("factor", factor);
            detail.put("max", maxLimit);
        }
    }

    String summary() {
        StringBuilder sb = new StringBuilder("kubernetes ").append(action.wireName()).append(' ').append(kind)
                .append(' ').append(objectName());
        container.ifPresent(c -> sb.append(" container ").append(c));
        if (isScale()) {
            sb.append(" by +").append(delta).append(" up to ").append(maxReplicas).append(" replicas");
        }
        if (isPatch()) {
            sb.append(' ').append(resource).append(" limit x").append(factor.toPlainString()).append(" up to ")
                    .append(maxLimit);
        }
        return sb.toString();
    }
}
