package dev.vigil.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Runs {@code kubernetes} steps through the fabric8 client: the action {@link RenderedKubernetes} renders (the one
 * the dry-run plan shows), on an object whose names are checked as DNS-1123 names first. Thread-safe (the client is).
 *
 * <p>Every change is a read, an edit and a replace carrying the object's {@code resourceVersion}, so a concurrent
 * writer makes the API server answer 409 instead of being overwritten; the executor then reads again (a few times).
 * {@code rollout-restart} sets the {@code kubectl.kubernetes.io/restartedAt} annotation of the pod template as
 * kubectl does; {@code rollout-undo} puts back the previous pod template as kubectl does (from the Deployment's
 * ReplicaSets, or the StatefulSet's or DaemonSet's ControllerRevisions); {@code scale} adds replicas but never goes
 * above the step's maximum; {@code patch-limits} multiplies one container's limit but never goes above the step's
 * cap; {@code cordon-drain} first refuses a node that runs pods no controller would recreate, then marks it
 * unschedulable and evicts its pods through the policy/v1 Eviction API, skipping DaemonSet and mirror pods as kubectl
 * does, each eviction conditional on the uid of the pod listed. An eviction a PodDisruptionBudget refuses (429) is
 * tried again every {@value #EVICTION_RETRY_SECONDS} seconds until the step's timeout, then the step fails. It does
 * not wait for evicted pods to terminate: the playbook's verification watches that.
 */
public final class KubernetesExecutor implements StepExecutor {
    static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String MIRROR = "kubernetes.io/config.mirror";
    static final int EVICTION_RETRY_SECONDS = 5;
    private static final int CONFLICT_ATTEMPTS = 5;
    private static final Pattern DNS1123_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final BigDecimal MEBIBYTE = BigDecimal.valueOf(1024L * 1024L);
    private static final Map<StepAction.KubernetesVerb, List<String>> KINDS = Map.of(
            StepAction.KubernetesVerb.ROLLOUT_RESTART, List.of("DaemonSet", "Deployment", "StatefulSet"),
            StepAction.KubernetesVerb.ROLLOUT_UNDO, List.of("DaemonSet", "Deployment", "StatefulSet"),
            StepAction.KubernetesVerb.SCALE, List.of("Deployment", "StatefulSet"),
            StepAction.KubernetesVerb.PATCH_LIMITS, List.of("DaemonSet", "Deployment", "StatefulSet"),
            StepAction.KubernetesVerb.CORDON_DRAIN, List.of("Node"));

    /** How the executor waits between eviction attempts; tests pass one that advances a fake clock. */
    @FunctionalInterface
    public interface Pause {
        /** Blocks the calling worker thread until a timer fires. */
        Pause REAL = d -> {
            try {
                CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(d.toMillis(), TimeUnit.MILLISECONDS))
                        .get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("an empty task failed", e);
            }
        };

        void pause(Duration duration) throws InterruptedException;
    }

    private final KubernetesClient client;
    private final InstantSource clock;
    private final Pause pause;

    public KubernetesExecutor(KubernetesTarget target, InstantSource clock) {
        this(target.client(), clock, Pause.REAL);
    }

    KubernetesExecutor(KubernetesClient client, InstantSource clock, Pause pause) {
        this.client = client;
        this.clock = clock;
        this.pause = pause;
    }

    @Override
    public Executor kind() {
        return Executor.KUBERNETES;
    }

    @Override
    public StepOutcome run(Step step, int index, Map<String, String> values) {
        if (!(step.action() instanceof StepAction.Kubernetes k8s)) {
            throw new IllegalArgumentException("step " + step.name() + " is not a kubernetes step: " + step.executor());
        }
        Optional<String> problem = StepInputs.problem(step, values);
        if (problem.isPresent()) {
            return StepOutcome.refused(problem.get());
        }
        RenderedKubernetes call;
        try {
            call = RenderedKubernetes.render(k8s, values::get);
        } catch (IllegalArgumentException e) {
            return StepOutcome.refused("max_replicas is not an integer: " + e.getMessage());
        }
        problem = invalid(call);
        if (problem.isPresent()) {
            return StepOutcome.refused(problem.get());
        }
        Deadline deadline = new Deadline(clock, step.timeout());
        try {
            return switch (call.action()) {
                case ROLLOUT_RESTART -> change(call, deadline, w -> restart(w, call));
                case ROLLOUT_UNDO -> change(call, deadline, w -> w instanceof Deployment d
                        ? undoDeployment(d, call, deadline) : undoFromRevisions(w, call, deadline));
                case SCALE -> change(call, deadline, w -> scale(w, call, deadline));
                case PATCH_LIMITS -> change(call, deadline, w -> patchLimit(w, call, deadline));
                case CORDON_DRAIN -> cordonAndDrain(call, deadline);
            };
        } catch (OutOfTime e) {
            return StepOutcome.timedOut("", deadline.elapsed());
        } catch (KubernetesClientException e) {
            return apiFailure(call, e, deadline, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StepOutcome.failed("", "interrupted", deadline.elapsed(), true);
        } catch (RuntimeException e) {
            return StepOutcome.failed("", call.summary() + ": " + e, deadline.elapsed(), false);
        }
    }

    /** Why the rendered names or bounds must not reach the API server; empty when they may. */
    private static Optional<String> invalid(RenderedKubernetes c) {
        if (!KINDS.get(c.action()).contains(c.kind())) {
            return Optional.of(c.action().wireName() + " acts on " + KINDS.get(c.action()) + ", not on "
                    + Quote.quote(c.kind()));
        }
        if (c.name().length() > 253 || !DNS1123_SUBDOMAIN.matcher(c.name()).matches()) {
            return Optional.of("name " + Quote.quote(c.name()) + " is not a DNS-1123 name");
        }
        boolean node = c.kind().equals("Node");
        if (node != c.namespace().isEmpty() || (!node && !DNS1123_LABEL.matcher(c.namespace()).matches())) {
            return Optional.of("namespace " + Quote.quote(c.namespace()) + " is not a DNS-1123 label"
                    + (node ? " (a Node has none)" : ""));
        }
        if (c.container().isPresent() && !DNS1123_LABEL.matcher(c.container().get()).matches()) {
            return Optional.of("container " + Quote.quote(c.container().get()) + " is not a DNS-1123 label");
        }
        if (c.isScale() && (c.delta() < 1 || c.maxReplicas() < 1)) {
            return Optional.of("scale needs delta >= 1 and max_replicas >= 1, was " + c.delta() + " and " + c.maxReplicas());
        }
        if (c.isPatch()) {
            if (!c.resource().equals("cpu") && !c.resource().equals("memory")) {
                return Optional.of("resource " + Quote.quote(c.resource()) + " is neither cpu nor memory");
            }
            if (c.factor().compareTo(BigDecimal.ONE) <= 0) {
                return Optional.of("factor " + c.factor().toPlainString() + " does not raise the limit");
            }
            try {
                if (Quantity.getAmountInBytes(Quantity.parse(c.maxLimit())).signum() <= 0) {
                    return Optional.of("max " + Quote.quote(c.maxLimit()) + " is not a positive quantity");
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                return Optional.of("max " + Quote.quote(c.maxLimit()) + " is not a quantity");
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ read, edit, replace with resourceVersion

    /** What an edit decided: write the edited object back, or stop with an outcome and write nothing. */
    private sealed interface Edit permits Write, Stop {
    }

    /** The object was edited in place; {@code done} says how. */
    private record Write(String done) implements Edit {
    }

    private record Stop(StepOutcome outcome) implements Edit {
    }

    /**
     * Reads the object, edits it and replaces it with the resourceVersion it was read at; on a 409 (someone else
     * wrote in between) reads and edits again, at most {@value #CONFLICT_ATTEMPTS} times.
     */
    private StepOutcome change(RenderedKubernetes c, Deadline deadline, Function<HasMetadata, Edit> edit) throws OutOfTime {
        for (int attempt = 1; ; attempt++) {
            deadline.check();
            HasMetadata current = get(c);
            if (current == null) {
                return StepOutcome.failed("", c.kind() + " " + c.objectName() + " not found", deadline.elapsed(), false);
            }
            Edit e = edit.apply(current);
            if (e instanceof Stop stop) {
                return stop.outcome();
            }
            deadline.check();
            try {
                client.resource(current).update();
                return StepOutcome.succeeded(((Write) e).done(), deadline.elapsed());
            } catch (KubernetesClientException ex) {
                if (ex.getCode() != 409 || attempt >= CONFLICT_ATTEMPTS) {
                    throw ex;
                }
            }
        }
    }

    private HasMetadata get(RenderedKubernetes c) {
        return switch (c.kind()) {
            case "Deployment" -> client.apps().deployments().inNamespace(c.namespace()).withName(c.name()).get();
            case "StatefulSet" -> client.apps().statefulSets().inNamespace(c.namespace()).withName(c.name()).get();
            case "DaemonSet" -> client.apps().daemonSets().inNamespace(c.namespace()).withName(c.name()).get();
            default -> client.nodes().withName(c.name()).get();
        };
    }

    private static PodTemplateSpec template(HasMetadata workload) {
        if (workload instanceof Deployment d) {
            return d.getSpec().getTemplate();
        }
        if (workload instanceof StatefulSet s) {
            return s.getSpec().getTemplate();
        }
        return ((DaemonSet) workload).getSpec().getTemplate();
    }

    // ------------------------------------------------------------------ the actions

    private Edit restart(HasMetadata workload, RenderedKubernetes c) {
        String at = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                clock.instant().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
        PodTemplateSpec template = template(workload);
        if (template.getMetadata().getAnnotations() == null) {
            template.getMetadata().setAnnotations(new LinkedHashMap<>());
        }
        template.getMetadata().getAnnotations().put(RESTARTED_AT, at);
        return new Write(c.kind() + " " + c.objectName() + " restarted at " + at);
    }

    private Edit scale(HasMetadata workload, RenderedKubernetes c, Deadline deadline) {
        Integer now = workload instanceof Deployment d ? d.getSpec().getReplicas() : ((StatefulSet) workload).getSpec().getReplicas();
        int current = now == null ? 1 : now;
        if (current >= c.maxReplicas()) {
            return new Stop(StepOutcome.failed("", c.kind() + " " + c.objectName() + " already has " + current
                    + " replicas, at or above the maximum " + c.maxReplicas() + ": not scaled", deadline.elapsed(), false));
        }
        int target = (int) Math.min(current + (long) c.delta(), c.maxReplicas());
        if (workload instanceof Deployment d) {
            d.getSpec().setReplicas(target);
        } else {
            ((StatefulSet) workload).getSpec().setReplicas(target);
        }
        return new Write(c.kind() + " " + c.objectName() + " scaled from " + current + " to " + target
                + " replicas (maximum " + c.maxReplicas() + ")");
    }

    private Edit patchLimit(HasMetadata workload, RenderedKubernetes c, Deadline deadline) {
        List<Container> containers = template(workload).getSpec().getContainers();
        Optional<Container> found = c.container().isPresent()
                ? containers.stream().filter(k -> k.getName().equals(c.container().get())).findFirst()
                : containers.size() == 1 ? Optional.of(containers.get(0)) : Optional.empty();
        String what = c.kind() + " " + c.objectName() + " container " + c.container().orElse("(unnamed)");
        if (found.isEmpty()) {
            return new Stop(StepOutcome.failed("", what + " not found", deadline.elapsed(), false));
        }
        Container container = found.get();
        Quantity limit = container.getResources() == null || container.getResources().getLimits() == null ? null
                : container.getResources().getLimits().get(c.resource());
        if (limit == null) {
            return new Stop(StepOutcome.failed("", what + " has no " + c.resource() + " limit to raise",
                    deadline.elapsed(), false));
        }
        BigDecimal current = Quantity.getAmountInBytes(limit);
        BigDecimal cap = Quantity.getAmountInBytes(Quantity.parse(c.maxLimit()));
        if (current.compareTo(cap) >= 0) {
            return new Stop(StepOutcome.failed("", what + ": " + c.resource() + " limit " + limit + " is already at or above the cap "
                    + c.maxLimit() + ": not changed", deadline.elapsed(), false));
        }
        BigDecimal raised = current.multiply(c.factor());
        Quantity next = raised.compareTo(cap) >= 0 ? Quantity.parse(c.maxLimit()) : quantity(c.resource(), raised);
        if (Quantity.getAmountInBytes(next).compareTo(current) <= 0) {
            return new Stop(StepOutcome.failed("", what + ": " + c.resource() + " limit " + limit + " is too small to raise",
                    deadline.elapsed(), false));
        }
        Map<String, Quantity> limits = new LinkedHashMap<>(container.getResources().getLimits());
        limits.put(c.resource(), next);
        container.getResources().setLimits(limits);
        return new Write(what + ": " + c.resource() + " limit " + limit + " -> " + next + " (cap " + c.maxLimit() + ")");
    }

    /** Memory in whole mebibytes, CPU in whole millicores, both rounded down (the cap is never passed). */
    private static Quantity quantity(String resource, BigDecimal amount) {
        if (resource.equals("memory")) {
            return new Quantity(amount.divide(MEBIBYTE, 0, RoundingMode.DOWN).toPlainString(), "Mi");
        }
        return new Quantity(amount.movePointRight(3).setScale(0, RoundingMode.DOWN).toPlainString(), "m");
    }

    /** As kubectl: the pod template of the newest ReplicaSet the Deployment owns whose revision is below its own. */
    private Edit undoDeployment(Deployment d, RenderedKubernetes c, Deadline deadline) {
        List<ReplicaSet> owned = client.apps().replicaSets().inNamespace(c.namespace())
                .withLabels(d.getSpec().getSelector().getMatchLabels()).list().getItems().stream()
                .filter(rs -> ownedBy(rs, d)).toList();
        long current = revision(d).orElse(owned.stream().mapToLong(rs -> revision(rs).orElse(0L)).max().orElse(0));
        Optional<ReplicaSet> previous = owned.stream()
                .filter(rs -> revision(rs).orElse(0L) > 0 && revision(rs).orElse(0L) < current)
                .max(Comparator.comparingLong(rs -> revision(rs).orElse(0L)));
        if (previous.isEmpty()) {
            return noEarlierRevision(c, current, deadline);
        }
        PodTemplateSpec template = previous.get().getSpec().getTemplate();
        if (template.getMetadata().getLabels() != null) {
            Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels());
            labels.remove("pod-template-hash");
            template.getMetadata().setLabels(labels);
        }
        d.getSpec().setTemplate(template);
        return rolledBack(c, current, revision(previous.get()).orElseThrow(), "ReplicaSet " + previous.get().getMetadata().getName());
    }

    /**
     * As kubectl for a StatefulSet or DaemonSet: of the ControllerRevisions the workload owns, the pod template of
     * the one before the newest ({@code data} holds it as {@code spec.template} with a {@code $patch: replace}).
     */
    private Edit undoFromRevisions(HasMetadata workload, RenderedKubernetes c, Deadline deadline) {
        Map<String, String> selector = workload instanceof StatefulSet s ? s.getSpec().getSelector().getMatchLabels()
                : ((DaemonSet) workload).getSpec().getSelector().getMatchLabels();
        List<ControllerRevision> owned = client.apps().controllerRevisions().inNamespace(c.namespace()).withLabels(selector)
                .list().getItems().stream().filter(r -> ownedBy(r, workload) && r.getRevision() != null)
                .sorted(Comparator.comparingLong(ControllerRevision::getRevision)).toList();
        long current = owned.isEmpty() ? 0 : owned.get(owned.size() - 1).getRevision();
        if (owned.size() < 2) {
            return noEarlierRevision(c, current, deadline);
        }
        ControllerRevision previous = owned.get(owned.size() - 2);
        JsonNode data = client.getKubernetesSerialization().convertValue(previous.getData(), JsonNode.class);
        JsonNode template = data == null ? null : data.path("spec").path("template");
        if (!(template instanceof ObjectNode replace)) {
            return new Stop(StepOutcome.failed("", "ControllerRevision " + previous.getMetadata().getName()
                    + " holds no pod template", deadline.elapsed(), false));
        }
        replace.remove("$patch");
        PodTemplateSpec spec = client.getKubernetesSerialization().convertValue(replace, PodTemplateSpec.class);
        if (workload instanceof StatefulSet s) {
            s.getSpec().setTemplate(spec);
        } else {
            ((DaemonSet) workload).getSpec().setTemplate(spec);
        }
        return rolledBack(c, current, previous.getRevision(), "ControllerRevision " + previous.getMetadata().getName());
    }

    private static boolean ownedBy(HasMetadata child, HasMetadata owner) {
        return child.getMetadata().getOwnerReferences() != null && child.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> owner.getMetadata().getUid() != null && owner.getMetadata().getUid().equals(o.getUid()));
    }

    private static Edit noEarlierRevision(RenderedKubernetes c, long current, Deadline deadline) {
        return new Stop(StepOutcome.failed("", c.kind() + " " + c.objectName() + " has no revision before " + current
                + " to roll back to", deadline.elapsed(), false));
    }

    private static Edit rolledBack(RenderedKubernetes c, long from, long to, String source) {
        return new Write(c.kind() + " " + c.objectName() + " rolled back from revision " + from
                + " to the template of revision " + to + " (" + source + ")");
    }

    private static Optional<Long> revision(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        String text = annotations == null ? null : annotations.get(REVISION);
        try {
            return text == null ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private StepOutcome cordonAndDrain(RenderedKubernetes c, Deadline deadline) throws OutOfTime, InterruptedException {
        deadline.check();
        List<Pod> pods = client.pods().inAnyNamespace().withField("spec.nodeName", c.name()).list().getItems();
        List<String> skipped = new ArrayList<>();
        List<String> unmanaged = new ArrayList<>();
        Map<String, Pod> toEvict = new LinkedHashMap<>();
        for (Pod pod : pods) {
            String id = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
            Optional<OwnerReference> controller = pod.getMetadata().getOwnerReferences() == null ? Optional.empty()
                    : pod.getMetadata().getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst();
            String phase = pod.getStatus() == null ? "" : String.valueOf(pod.getStatus().getPhase());
            if (pod.getMetadata().getAnnotations() != null && pod.getMetadata().getAnnotations().containsKey(MIRROR)) {
                skipped.add(id + " (mirror pod)");
            } else if (controller.isPresent() && controller.get().getKind().equals("DaemonSet")) {
                skipped.add(id + " (DaemonSet)");
            } else if (pod.getMetadata().getDeletionTimestamp() != null) {
                skipped.add(id + " (already terminating)");
            } else if (controller.isEmpty() && !phase.equals("Succeeded") && !phase.equals("Failed")) {
                unmanaged.add(id);
            } else {
                toEvict.put(id, pod);
            }
        }
        if (!unmanaged.isEmpty()) {
            return StepOutcome.failed("", "node " + c.name() + " runs pods that no controller would recreate: "
                    + String.join(", ", unmanaged) + "; not cordoned, nothing evicted", deadline.elapsed(), false);
        }
        StepOutcome cordon = change(c, deadline, n -> {
            Node node = (Node) n;
            if (Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
                return new Stop(StepOutcome.succeeded("node " + c.name() + " was already unschedulable", deadline.elapsed()));
            }
            node.getSpec().setUnschedulable(true);
            return new Write("node " + c.name() + " cordoned");
        });
        if (!cordon.succeeded()) {
            return cordon;
        }
        String cordoned = cordon.output();
        List<String> evicted = new ArrayList<>();
        Map<String, Integer> refusals = new HashMap<>();
        while (true) {
            for (Map.Entry<String, Pod> e : new ArrayList<>(toEvict.entrySet())) {
                if (deadline.passed()) {
                    break; // a last attempt may start at the deadline, not after it
                }
                Pod pod = e.getValue();
                // the uid precondition makes sure the pod evicted is the one listed, not a namesake created since
                Eviction eviction = new EvictionBuilder().withNewMetadata().withName(pod.getMetadata().getName())
                        .withNamespace(pod.getMetadata().getNamespace()).endMetadata()
                        .withDeleteOptions(new DeleteOptionsBuilder().withNewPreconditions()
                                .withUid(pod.getMetadata().getUid()).endPreconditions().build())
                        .build();
                boolean allowed;
                try {
                    allowed = client.pods().inNamespace(pod.getMetadata().getNamespace())
                            .withName(pod.getMetadata().getName()).evict(eviction);
                } catch (KubernetesClientException ex) {
                    if (ex.getCode() != 404 && ex.getCode() != 409) {
                        return apiFailure(c, ex, deadline, report(cordoned, evicted, skipped));
                    }
                    allowed = true; // the listed pod is gone already (404), or was replaced by a namesake (409)
                }
                if (allowed) {
                    evicted.add(e.getKey());
                    toEvict.remove(e.getKey());
                } else {
                    refusals.merge(e.getKey(), 1, Integer::sum);
                }
            }
            if (toEvict.isEmpty()) {
                return StepOutcome.succeeded(report(cordoned, evicted, skipped), deadline.elapsed());
            }
            Duration left = deadline.left();
            if (left.isZero()) {
                List<String> blocked = new ArrayList<>();
                toEvict.keySet().forEach(id -> blocked.add(id + " (refused " + refusals.getOrDefault(id, 0) + " times)"));
                return StepOutcome.failed(report(cordoned, evicted, skipped), "a PodDisruptionBudget still blocks the "
                        + "eviction of " + String.join(", ", blocked) + " at the step's timeout", deadline.elapsed(), true);
            }
            Duration wait = Duration.ofSeconds(EVICTION_RETRY_SECONDS);
            pause.pause(left.compareTo(wait) < 0 ? left : wait);
        }
    }

    private static String report(String cordoned, List<String> evicted, List<String> skipped) {
        return cordoned + "; evicted " + evicted.size() + (evicted.isEmpty() ? "" : ": " + String.join(", ", evicted))
                + "; skipped " + skipped.size() + (skipped.isEmpty() ? "" : ": " + String.join(", ", skipped));
    }

    /** An API error as an outcome; {@code done} says what the step had done before it. */
    private static StepOutcome apiFailure(RenderedKubernetes c, KubernetesClientException e, Deadline deadline, String done) {
        int code = e.getCode();
        String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        String error = c.summary() + ": " + (code == 0 ? "" : "HTTP " + code + ": ") + message;
        if (code == 0 && deadline.left().isZero()) {
            return new StepOutcome(StepOutcome.Status.TIMED_OUT, done, error, deadline.elapsed(), true);
        }
        boolean retryable = code == 0 || code == 409 || code == 429 || code >= 500 || e.getCause() instanceof IOException;
        return StepOutcome.failed(done, error, deadline.elapsed(), retryable);
    }

    /** The step's deadline on the injected clock. Not thread-safe (one per run). */
    private static final class Deadline {
        private final InstantSource clock;
        private final long start;
        private final long end;

        Deadline(InstantSource clock, Duration timeout) {
            this.clock = clock;
            this.start = clock.millis();
            this.end = start + timeout.toMillis();
        }

        Duration left() {
            return Duration.ofMillis(Math.max(0, end - clock.millis()));
        }

        long elapsed() {
            return Math.max(0, clock.millis() - start);
        }

        boolean passed() {
            return clock.millis() > end;
        }

        /** Throws when the deadline has passed. */
        void check() throws OutOfTime {
            if (clock.millis() >= end) {
                throw new OutOfTime();
            }
        }
    }

    /** The step's timeout passed between two API requests. */
    private static final class OutOfTime extends Exception {
        OutOfTime() {
            super(null, null, false, false);
        }
    }
}
