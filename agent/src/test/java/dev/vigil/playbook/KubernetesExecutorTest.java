package dev.vigil.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.content.ContentException;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubernetes executor, through the real fabric8 client configured from a kubeconfig, against a loopback stub of
 * the API server: the assertions are on the requests the server received and on the objects it holds afterwards.
 */
class KubernetesExecutorTest {
    private static final String NS = "prod";

    private final TestClock clock = new TestClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private KubernetesApiStub api;
    private KubernetesClient client;
    private KubernetesExecutor executor;

    /** A clock the test (and the executor's pauses) move by hand. Thread-safe. */
    static final class TestClock implements InstantSource {
        private final AtomicReference<Instant> now;

        TestClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }
    }

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        api = KubernetesApiStub.start();
        client = KubernetesTarget.of(api.kubeconfig(dir), "stub").client();
        executor = new KubernetesExecutor(client, clock, d -> {
            pauses.add(d);
            clock.advance(d);
        });
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        api.close();
    }

    // ------------------------------------------------------------------ objects

    private static Deployment deployment(String name, int replicas, String memoryLimit, int revision) {
        return new DeploymentBuilder()
                .withNewMetadata().withNamespace(NS).withName(name).withUid("uid-" + name)
                .addToAnnotations(KubernetesExecutor.REVISION, Integer.toString(revision)).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName(name).withImage("registry/" + name + ":" + revision)
                .withNewResources().addToLimits("memory", new Quantity(memoryLimit)).addToLimits("cpu", new Quantity("500m"))
                .endResources().endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static ReplicaSet replicaSet(String deployment, int revision, String ownerUid) {
        return new ReplicaSetBuilder()
                .withNewMetadata().withNamespace(NS).withName(deployment + "-r" + revision)
                .addToLabels("app", deployment).addToLabels("pod-template-hash", "h" + revision)
                .addToAnnotations(KubernetesExecutor.REVISION, Integer.toString(revision))
                .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                        .withName(deployment).withUid(ownerUid).withController(true).build())
                .endMetadata()
                .withNewSpec().withReplicas(0).withNewSelector().addToMatchLabels("app", deployment).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", deployment).addToLabels("pod-template-hash", "h" + revision)
                .endMetadata().withNewSpec().addNewContainer().withName(deployment).withImage("registry/" + deployment + ":" + revision)
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    private static Node node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec().build();
    }

    /** A running pod on a node; ownerKind null for a pod no controller manages. */
    private static Pod pod(String namespace, String name, String node, String ownerKind, boolean mirror) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withNodeName(node).endSpec().withNewStatus().withPhase("Running").endStatus();
        if (ownerKind != null) {
            b.editMetadata().addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(ownerKind)
                    .withName(name + "-owner").withUid("uid-" + name + "-owner").withController(true).build()).endMetadata();
        }
        if (mirror) {
            b.editMetadata().addToAnnotations(KubernetesExecutor.MIRROR, "0123abcd").endMetadata();
        }
        return b.build();
    }

    private Deployment storedDeployment(String name) {
        return api.get(Deployment.class, "apps/v1", "Deployment", NS, name).orElseThrow();
    }

    private Node storedNode(String name) {
        return api.get(Node.class, "v1", "Node", "", name).orElseThrow();
    }

    private boolean podExists(String namespace, String name) {
        return api.get(Pod.class, "v1", "Pod", namespace, name).isPresent();
    }

    private static String deploymentPath(String name) {
        return "/apis/apps/v1/namespaces/" + NS + "/deployments/" + name;
    }

    private static Step step(StepAction.KubernetesVerb verb, String kind, String namespace, String name, Duration timeout,
                             Optional<StepAction.Scale> scale) {
        return new Step("act", timeout, When.ALWAYS, new StepAction.Kubernetes(verb,
                new StepAction.KubernetesObject(kind, namespace, name), Optional.empty(), scale, Optional.empty()));
    }

    // ------------------------------------------------------------------ rollout restart

    @Test
    void rollingRestartPlaybook_setsRestartedAtOnThePlannedDeploymentWithItsResourceVersion() throws ContentException {
        api.add(deployment("api", 3, "512Mi", 3));
        String readAt = storedDeployment("api").getMetadata().getResourceVersion();
        Playbook p = Library.playbook("rolling-restart-service");
        Map<String, String> values = Map.of("service", "api", "namespace", NS, "workload", "api", "workload_kind", "Deployment");
        PlannedStep plan = DryRunPlanner.plan(p, values).get(0);

        StepOutcome outcome = executor.run(p.steps().get(0), 0, values);

        assertEquals(StepOutcome.Status.SUCCEEDED, outcome.status(), outcome::toString);
        assertEquals("Deployment prod/api restarted at 2024-05-01T12:00:00Z", outcome.output());
        assertEquals(List.of("PUT " + deploymentPath(plan.detail().get("name").toString())), api.writes().stream().map(Object::toString).toList());
        Deployment sent = KubernetesApiStub.SERIALIZATION.unmarshal(api.writes().get(0).body(), Deployment.class);
        assertEquals(readAt, sent.getMetadata().getResourceVersion(), "the replace carries the version it read");
        assertEquals("2024-05-01T12:00:00Z", storedDeployment("api").getSpec().getTemplate().getMetadata().getAnnotations()
                .get(KubernetesExecutor.RESTARTED_AT));
    }

    @Test
    void concurrentWriter_makesTheReplaceConflictAndTheExecutorReadsAgain() throws ContentException {
        Deployment d = deployment("api", 3, "512Mi", 3);
        api.add(d);
        api.conflictOnNextReplace(d);
        Playbook p = Library.playbook("rolling-restart-service");

        StepOutcome outcome = executor.run(p.steps().get(0), 0,
                Map.of("service", "api", "namespace", NS, "workload", "api", "workload_kind", "Deployment"));

        assertEquals(StepOutcome.Status.SUCCEEDED, outcome.status(), outcome::toString);
        String path = deploymentPath("api");
        assertEquals(List.of("GET " + path, "PUT " + path, "GET " + path, "PUT " + path),
                api.requests().stream().map(Object::toString).toList());
        assertEquals("2024-05-01T12:00:00Z", storedDeployment("api").getSpec().getTemplate().getMetadata().getAnnotations()
                .get(KubernetesExecutor.RESTARTED_AT));
    }

    @Test
    void missingWorkload_failsForGoodAndWritesNothing() throws ContentException {
        Playbook p = Library.playbook("rolling-restart-service");

        StepOutcome outcome = executor.run(p.steps().get(0), 0,
                Map.of("service", "ghost", "namespace", NS, "workload", "ghost", "workload_kind", "Deployment"));

        assertEquals(StepOutcome.Status.FAILED, outcome.status());
        assertFalse(outcome.retryable());
        assertEquals("Deployment prod/ghost not found", outcome.error());
        assertEquals(List.of(), api.writes());
    }

    // ------------------------------------------------------------------ scale

    @Test
    void scaleOutPlaybook_addsOneReplica() throws ContentException {
        api.add(deployment("api", 3, "512Mi", 3));
        Playbook p = Library.playbook("scale-out-service");

        StepOutcome outcome = executor.run(p.steps().get(0), 0, Map.of("service", "api", "namespace", NS, "workload", "api",
                "workload_kind", "Deployment", "max_replicas", "10"));

        assertEquals(StepOutcome.Status.SUCCEEDED, outcome.status(), outcome::toString);
        assertEquals("Deployment prod/api scaled from 3 to 4 replicas (maximum 10)", outcome.output());
        assertEquals(4, storedDeployment("api").getSpec().getReplicas());
    }

    @Test
    void scale_stopsAtTheMaximumAndRefusesToGoPastIt() {
        api.add(deployment("api", 4, "512Mi", 3));
        Step byThree = step(StepAction.KubernetesVerb.SCALE, "Deployment", NS, "api", Duration.ofMinutes(1),
                Optional.of(new StepAction.Scale(3, "{{max}}")));

        StepOutcome clamped = executor.run(byThree, 0, Map.of("max", "5"));
        StepOutcome atMaximum = executor.run(byThree, 0, Map.of("max", "5"));

        assertEquals("Deployment prod/api scaled from 4 to 5 replicas (maximum 5)", clamped.output(), clamped::toString);
        assertEquals(StepOutcome.Status.FAILED, atMaximum.status());
        assertFalse(atMaximum.retryable());
        assertEquals("Deployment prod/api already has 5 replicas, at or above the maximum 5: not scaled", atMaximum.error());
        assertEquals(5, storedDeployment("api").getSpec().getReplicas());
        assertEquals(1, api.writes().size(), "only the first run wrote");
    }

    // ------------------------------------------------------------------ patch limits

    @Test
    void raiseMemoryLimitPlaybook_multipliesTheLimitButNeverPassesTheCap() throws ContentException {
        Playbook p = Library.playbook("raise-memory-limit");
        Map<String, String> values = Map.of("namespace", NS, "workload", "api", "workload_kind", "Deployment",
                "container", "api", "max_memory", "8Gi");
        api.add(deployment("api", 3, "512Mi", 3));

        StepOutcome raised = executor.run(p.steps().get(0), 0, values);
        api.add(deployment("api", 3, "6Gi", 3));
        StepOutcome capped = executor.run(p.steps().get(0), 0, values);
        StepOutcome atCap = executor.run(p.steps().get(0), 0, values);

        assertEquals("Deployment prod/api container api: memory limit 512Mi -> 768Mi (cap 8Gi)", raised.output(), raised::toString);
        assertEquals("Deployment prod/api container api: memory limit 6Gi -> 8Gi (cap 8Gi)", capped.output(), capped::toString);
        assertEquals(StepOutcome.Status.FAILED, atCap.status());
        assertEquals("Deployment prod/api container api: memory limit 8Gi is already at or above the cap 8Gi: not changed",
                atCap.error());
        Map<String, Quantity> limits = storedDeployment("api").getSpec().getTemplate().getSpec().getContainers().get(0)
                .getResources().getLimits();
        assertEquals(new Quantity("8Gi"), limits.get("memory"));
        assertEquals(new Quantity("500m"), limits.get("cpu"), "the other limit is untouched");
    }

    @Test
    void cpuLimit_isRaisedInMillicores() {
        api.add(deployment("api", 3, "512Mi", 3));
        Step step = new Step("cpu", Duration.ofMinutes(1), When.ALWAYS, new StepAction.Kubernetes(
                StepAction.KubernetesVerb.PATCH_LIMITS, new StepAction.KubernetesObject("Deployment", NS, "api"),
                Optional.of("api"), Optional.empty(), Optional.of(new StepAction.LimitPatch("cpu", new BigDecimal("1.5"), "4"))));

        StepOutcome outcome = executor.run(step, 0, Map.of());

        assertEquals("Deployment prod/api container api: cpu limit 500m -> 750m (cap 4)", outcome.output(), outcome::toString);
    }

    // ------------------------------------------------------------------ rollout undo

    @Test
    void rollbackPlaybook_putsBackThePodTemplateOfThePreviousRevisionOwnedByTheDeployment() throws ContentException {
        api.add(deployment("api", 3, "512Mi", 3), replicaSet("api", 1, "uid-api"), replicaSet("api", 3, "uid-api"),
                replicaSet("api", 2, "uid-someone-else"));
        Playbook p = Library.playbook("rollback-deployment");

        StepOutcome outcome = executor.run(p.steps().get(0), 0, Map.of("service", "api", "namespace", NS, "workload", "api",
                "workload_kind", "Deployment"));

        assertEquals(StepOutcome.Status.SUCCEEDED, outcome.status(), outcome::toString);
        assertEquals("Deployment prod/api rolled back from revision 3 to the template of revision 1 (ReplicaSet api-r1)",
                outcome.output());
        var template = storedDeployment("api").getSpec().getTemplate();
        assertEquals("registry/api:1", template.getSpec().getContainers().get(0).getImage());
        assertEquals(Map.of("app", "api"), template.getMetadata().getLabels(), "pod-template-hash is dropped");
        assertEquals(List.of("PUT " + deploymentPath("api")), api.writes().stream().map(Object::toString).toList());
    }

    private static ControllerRevision revision(String owner, long revision, String ownerUid) {
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("metadata", Map.of("labels", Map.of("app", owner)));
        template.put("spec", Map.of("containers", List.of(Map.of("name", owner, "image", "registry/" + owner + ":" + revision))));
        template.put("$patch", "replace");
        return new ControllerRevisionBuilder()
                .withNewMetadata().withNamespace(NS).withName(owner + "-c" + revision).addToLabels("app", owner)
                .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("StatefulSet")
                        .withName(owner).withUid(ownerUid).withController(true).build())
                .endMetadata()
                .withRevision(revision).withData(Map.of("spec", Map.of("template", template))).build();
    }

    @Test
    void rollbackOfAStatefulSet_putsBackThePodTemplateOfItsControllerRevisionBeforeTheNewest() throws ContentException {
        api.add(new StatefulSetBuilder().withNewMetadata().withNamespace(NS).withName("db").withUid("uid-db").endMetadata()
                        .withNewSpec().withReplicas(3).withNewSelector().addToMatchLabels("app", "db").endSelector()
                        .withNewTemplate().withNewMetadata().addToLabels("app", "db").endMetadata().withNewSpec()
                        .addNewContainer().withName("db").withImage("registry/db:3").endContainer().endSpec().endTemplate()
                        .endSpec().build(),
                revision("db", 1, "uid-db"), revision("db", 3, "uid-db"), revision("db", 2, "uid-db"),
                revision("db", 4, "uid-another-db"));
        Playbook p = Library.playbook("rollback-deployment");

        StepOutcome outcome = executor.run(p.steps().get(0), 0, Map.of("service", "db", "namespace", NS, "workload", "db",
                "workload_kind", "StatefulSet"));

        assertEquals(StepOutcome.Status.SUCCEEDED, outcome.status(), outcome::toString);
        assertEquals("StatefulSet prod/db rolled back from revision 3 to the template of revision 2 (ControllerRevision db-c2)",
                outcome.output());
        var template = api.get(StatefulSet.class, "apps/v1", "StatefulSet", NS, "db").orElseThrow().getSpec().getTemplate();
        assertEquals("registry/db:2", template.getSpec().getContainers().get(0).getImage());
        assertEquals(List.of("PUT /apis/apps/v1/namespaces/prod/statefulsets/db"),
                api.writes().stream().map(Object::toString).toList());
    }

    @Test
    void rollbackWithoutAnEarlierRevision_failsForGoodAndWritesNothing() throws ContentException {
        api.add(deployment("api", 3, "512Mi", 1), replicaSet("api", 1, "uid-api"));

        StepOutcome outcome = executor.run(Library.playbook("rollback-deployment").steps().get(0), 0,
                Map.of("service", "api", "namespace", NS, "workload", "api", "workload_kind", "Deployment"));

        assertEquals(StepOutcome.Status.FAILED, outcome.status());
        assertFalse(outcome.retryable());
        assertEquals("Deployment prod/api has no revision before 1 to roll back to", outcome.error());
        assertEquals(List.of(), api.writes());
    }

    // ------------------------------------------------------------------ cordon and drain

    private void nodeWithPods() {
        api.add(node("node-1"), node("node-2"),
                pod(NS, "web-1", "node-1", "ReplicaSet", false),
                pod(NS, "web-2", "node-1", "ReplicaSet", false),
                pod("kube-system", "fluentd-x", "node-1", "DaemonSet", false),
                pod("kube-system", "kube-proxy-node-1", "node-1", "Node", true),
                pod(NS, "web-3", "node-2", "ReplicaSet", false));
    }

    @Test
    void cordonAndDrainPlaybook_cordonsTheNodeAndEvictsOnlyItsManagedPods() throws ContentException {
        nodeWithPods();
        String webOneUid = api.get(Pod.class, "v1", "Pod", NS, "web-1").orElseThrow().getMetadata().getUid();
        Playbook p = Library.playbook("cordon-and-drain-node");

        StepOutcome outcome = executor.run(p.steps().get(0), 0, Map.of("node", "node-1"));

        assertEquals(StepOutcome.Status.SUCCEEDED, outcome.status(), outcome::toString);
        assertEquals("node node-1 cordoned; evicted 2: prod/web-1, prod/web-2; skipped 2: "
                + "kube-system/fluentd-x (DaemonSet), kube-system/kube-proxy-node-1 (mirror pod)", outcome.output());
        assertEquals(List.of("PUT /api/v1/nodes/node-1", "POST /api/v1/namespaces/prod/pods/web-1/eviction",
                "POST /api/v1/namespaces/prod/pods/web-2/eviction"), api.writes().stream().map(Object::toString).toList());
        String eviction = api.writes().get(1).body();
        assertTrue(eviction.contains("\"apiVersion\":\"policy/v1\"") && eviction.contains("\"kind\":\"Eviction\""), eviction);
        assertTrue(eviction.contains("\"preconditions\":{\"uid\":\"" + webOneUid + "\"}"), eviction);
        assertTrue(storedNode("node-1").getSpec().getUnschedulable());
        assertFalse(Boolean.TRUE.equals(storedNode("node-2").getSpec().getUnschedulable()));
        assertFalse(podExists(NS, "web-1") || podExists(NS, "web-2"));
        assertTrue(podExists("kube-system", "fluentd-x") && podExists("kube-system", "kube-proxy-node-1")
                && podExists(NS, "web-3"), "DaemonSet, mirror and other nodes' pods stay");
        assertEquals(List.of(), pauses);
    }

    @Test
    void evictionRefusedByAPodDisruptionBudget_isRetriedUntilAllowed() throws ContentException {
        nodeWithPods();
        api.refuseEvictions(NS, "web-1", 2);
        Playbook p = Library.playbook("cordon-and-drain-node");

        StepOutcome outcome = executor.run(p.steps().get(0), 0, Map.of("node", "node-1"));

        assertEquals(StepOutcome.Status.SUCCEEDED, outcome.status(), outcome::toString);
        assertEquals(List.of("PUT /api/v1/nodes/node-1",
                "POST /api/v1/namespaces/prod/pods/web-1/eviction", "POST /api/v1/namespaces/prod/pods/web-2/eviction",
                "POST /api/v1/namespaces/prod/pods/web-1/eviction",
                "POST /api/v1/namespaces/prod/pods/web-1/eviction"), api.writes().stream().map(Object::toString).toList());
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5)), pauses);
        assertFalse(podExists(NS, "web-1"));
    }

    @Test
    void evictionThatStaysRefused_failsAtTheStepTimeoutAsRetryable() {
        nodeWithPods();
        api.refuseEvictions(NS, "web-1", 1000);
        Step step = step(StepAction.KubernetesVerb.CORDON_DRAIN, "Node", "", "{{node}}", Duration.ofSeconds(12), Optional.empty());

        StepOutcome outcome = executor.run(step, 0, Map.of("node", "node-1"));

        assertEquals(StepOutcome.Status.FAILED, outcome.status(), outcome::toString);
        assertTrue(outcome.retryable());
        assertEquals("a PodDisruptionBudget still blocks the eviction of prod/web-1 (refused 4 times) at the step's timeout",
                outcome.error());
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2)), pauses);
        assertTrue(outcome.output().startsWith("node node-1 cordoned; evicted 1: prod/web-2;"), outcome.output());
        assertTrue(podExists(NS, "web-1"));
    }

    @Test
    void apiErrorMidDrain_failsAsRetryableAndReportsWhatWasDoneBefore() throws ContentException {
        nodeWithPods();
        api.failEvictions(NS, "web-2");

        StepOutcome outcome = executor.run(Library.playbook("cordon-and-drain-node").steps().get(0), 0, Map.of("node", "node-1"));

        assertEquals(StepOutcome.Status.FAILED, outcome.status());
        assertTrue(outcome.retryable());
        assertEquals("kubernetes cordon-drain Node node-1: HTTP 500: etcdserver: request timed out", outcome.error());
        assertEquals("node node-1 cordoned; evicted 1: prod/web-1; skipped 2: kube-system/fluentd-x (DaemonSet), "
                + "kube-system/kube-proxy-node-1 (mirror pod)", outcome.output());
    }

    @Test
    void nodeWithAPodNoControllerWouldRecreate_isNeitherCordonedNorDrained() throws ContentException {
        nodeWithPods();
        api.add(pod(NS, "hand-made", "node-1", null, false));

        StepOutcome outcome = executor.run(Library.playbook("cordon-and-drain-node").steps().get(0), 0, Map.of("node", "node-1"));

        assertEquals(StepOutcome.Status.FAILED, outcome.status());
        assertFalse(outcome.retryable());
        assertEquals("node node-1 runs pods that no controller would recreate: prod/hand-made; not cordoned, nothing evicted",
                outcome.error());
        assertEquals(List.of(), api.writes());
        assertFalse(Boolean.TRUE.equals(storedNode("node-1").getSpec().getUnschedulable()));
    }

    @Test
    void missingKubeconfig_isMisconfigurationNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-kubeconfig");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> KubernetesTarget.of(missing, "prod").client());
        assertEquals("kubeconfig " + missing + " does not exist or is not readable", e.getMessage());
    }

    // ------------------------------------------------------------------ hostile names

    @Test
    void namesThatAreNotDns1123_areRefusedBeforeAnyRequest() throws ContentException {
        Playbook drain = Library.playbook("cordon-and-drain-node");
        Step restart = Library.playbook("rolling-restart-service").steps().get(0);

        List<StepOutcome> outcomes = new ArrayList<>();
        outcomes.add(executor.run(drain.steps().get(0), 0, Map.of("node", "Node-1.Example")));
        outcomes.add(executor.run(drain.steps().get(0), 0, Map.of("node", "../../api/v1/namespaces")));
        outcomes.add(executor.run(restart, 0, Map.of("namespace", NS, "workload", "api/../../nodes/x", "workload_kind", "Deployment")));
        outcomes.add(executor.run(restart, 0, Map.of("namespace", "kube-system;rm -rf /", "workload", "api", "workload_kind", "Deployment")));
        outcomes.add(executor.run(restart, 0, Map.of("namespace", NS, "workload", "api", "workload_kind", "Pod")));

        assertEquals(List.of(
                "name \"Node-1.Example\" is not a DNS-1123 name",
                "name \"../../api/v1/namespaces\" is not a DNS-1123 name",
                "name \"api/../../nodes/x\" is not a DNS-1123 name",
                "namespace \"kube-system;rm -rf /\" is not a DNS-1123 label",
                "rollout-restart acts on [DaemonSet, Deployment, StatefulSet], not on \"Pod\""),
                outcomes.stream().map(StepOutcome::error).toList());
        assertTrue(outcomes.stream().allMatch(o -> o.status() == StepOutcome.Status.REFUSED));
        assertEquals(List.of(), api.requests());
    }
}
