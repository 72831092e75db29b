package dev.vigil.playbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A stand-in for the Kubernetes API server (no cluster can run here), on loopback and a free port: just the
 * endpoints the kubernetes executor uses. It keeps objects in memory as JSON, checks {@code resourceVersion} on
 * every replace (409 when it is stale) and the uid precondition of an eviction, lists with field and label selectors, evicts pods (or answers 429 as a
 * PodDisruptionBudget would, as often as a test asks), and records every request. Thread-safe.
 */
final class KubernetesApiStub implements AutoCloseable {
    /** One request as the stub received it; {@code query} is decoded. */
    record Request(String method, String path, String query, String body) {
        @Override
        public String toString() {
            return method + " " + path + (query.isEmpty() ? "" : "?" + query);
        }
    }

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Collection name to the apiVersion and kind of its objects. */
    private static final Map<String, String[]> RESOURCES = Map.of(
            "pods", new String[] {"v1", "Pod"},
            "nodes", new String[] {"v1", "Node"},
            "deployments", new String[] {"apps/v1", "Deployment"},
            "replicasets", new String[] {"apps/v1", "ReplicaSet"},
            "statefulsets", new String[] {"apps/v1", "StatefulSet"},
            "daemonsets", new String[] {"apps/v1", "DaemonSet"},
            "controllerrevisions", new String[] {"apps/v1", "ControllerRevision"});

    private final Vertx vertx = Vertx.vertx();
    private final int port;
    private final Map<String, ObjectNode> objects = new TreeMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> evictionRefusals = new HashMap<>();
    private final Set<String> evictionErrors = new HashSet<>();
    private final Set<String> conflictOnce = new HashSet<>();
    private long resourceVersion = 1000;

    private KubernetesApiStub() throws Exception {
        port = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .await(5, TimeUnit.SECONDS).actualPort();
    }

    static KubernetesApiStub start() throws Exception {
        return new KubernetesApiStub();
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    /** Writes a kubeconfig whose context {@code stub} points at this server. */
    Path kubeconfig(Path dir) {
        Path file = dir.resolve("kubeconfig");
        try {
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: stub
                      cluster: {server: "http://127.0.0.1:%d"}
                    users:
                    - name: vigil
                      user: {token: test-token}
                    contexts:
                    - name: stub
                      context: {cluster: stub, user: vigil}
                    current-context: stub
                    """.formatted(port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The URL path of an object. */
    static String pathOf(String apiVersion, String kind, String namespace, String name) {
        String plural = kind.toLowerCase(Locale.ROOT) + "s";
        String group = apiVersion.equals("v1") ? "/api/v1" : "/apis/" + apiVersion;
        return group + (namespace == null || namespace.isEmpty() ? "" : "/namespaces/" + namespace) + "/" + plural + "/" + name;
    }

    static String pathOf(HasMetadata o) {
        return pathOf(o.getApiVersion(), o.getKind(), o.getMetadata().getNamespace(), o.getMetadata().getName());
    }

    /** Stores objects as they are, with a uid and a resourceVersion when they have none. */
    synchronized void add(HasMetadata... added) {
        for (HasMetadata o : added) {
            ObjectNode node = (ObjectNode) parse(SERIALIZATION.asJson(o));
            ObjectNode meta = node.with("metadata");
            if (!meta.has("uid")) {
                meta.put("uid", UUID.nameUUIDFromBytes(pathOf(o).getBytes(StandardCharsets.UTF_8)).toString());
            }
            if (!meta.has("resourceVersion")) {
                meta.put("resourceVersion", Long.toString(++resourceVersion));
            }
            objects.put(pathOf(o), node);
        }
    }

    /** The object at that place now, if any. */
    synchronized <T extends HasMetadata> Optional<T> get(Class<T> type, String apiVersion, String kind, String namespace,
                                                          String name) {
        ObjectNode node = objects.get(pathOf(apiVersion, kind, namespace, name));
        return Optional.ofNullable(node).map(n -> SERIALIZATION.unmarshal(n.toString(), type));
    }

    /** The next {@code times} evictions of that pod are refused with 429, as a PodDisruptionBudget would. */
    synchronized void refuseEvictions(String namespace, String name, int times) {
        evictionRefusals.put(namespace + "/" + name, times);
    }

    /** Every eviction of that pod fails with 500, as an API server in trouble would. */
    synchronized void failEvictions(String namespace, String name) {
        evictionErrors.add(namespace + "/" + name);
    }

    /** Another writer changes the object just before the next replace of it arrives, so that replace gets a 409. */
    synchronized void conflictOnNextReplace(HasMetadata o) {
        conflictOnce.add(pathOf(o));
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests that would change something (all but GET). */
    List<Request> writes() {
        return requests.stream().filter(r -> !r.method().equals("GET")).toList();
    }

    void forget() {
        requests.clear();
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            String query = req.query() == null ? "" : URLDecoder.decode(req.query(), StandardCharsets.UTF_8);
            requests.add(new Request(req.method().name(), req.path(), query, body.toString()));
            Answer a = answer(req.method().name(), req.path(), req.getParam("fieldSelector"), req.getParam("labelSelector"),
                    body.toString());
            req.response().setStatusCode(a.status).putHeader("Content-Type", "application/json").end(a.body.toString());
        });
    }

    private record Answer(int status, JsonNode body) {
    }

    private synchronized Answer answer(String method, String path, String fieldSelector, String labelSelector, String body) {
        switch (method) {
            case "GET" -> {
                if (objects.containsKey(path)) {
                    return new Answer(200, objects.get(path));
                }
                String resource = path.substring(path.lastIndexOf('/') + 1);
                if (RESOURCES.containsKey(resource)) {
                    return new Answer(200, list(path, resource, fieldSelector, labelSelector));
                }
                return status(404, "NotFound", path + " not found");
            }
            case "PUT" -> {
                ObjectNode stored = objects.get(path);
                if (stored == null) {
                    return status(404, "NotFound", path + " not found");
                }
                if (conflictOnce.remove(path)) {
                    stored.with("metadata").put("resourceVersion", Long.toString(++resourceVersion));
                }
                ObjectNode sent = (ObjectNode) parse(body);
                String expected = stored.path("metadata").path("resourceVersion").asText();
                if (!expected.equals(sent.path("metadata").path("resourceVersion").asText())) {
                    return status(409, "Conflict", "the object has been modified; please apply your changes to the latest version");
                }
                sent.with("metadata").put("resourceVersion", Long.toString(++resourceVersion));
                sent.with("metadata").put("uid", stored.path("metadata").path("uid").asText());
                objects.put(path, sent);
                return new Answer(200, sent);
            }
            case "POST" -> {
                if (!path.endsWith("/eviction")) {
                    return status(405, "MethodNotAllowed", "only evictions are posted here");
                }
                String pod = path.substring(0, path.length() - "/eviction".length());
                if (!objects.containsKey(pod)) {
                    return status(404, "NotFound", pod + " not found");
                }
                ObjectNode meta = (ObjectNode) objects.get(pod).path("metadata");
                String uid = parse(body).path("deleteOptions").path("preconditions").path("uid").asText("");
                if (!uid.isEmpty() && !uid.equals(meta.path("uid").asText())) {
                    return status(409, "Conflict", "Precondition failed: UID in precondition: " + uid);
                }
                String key = meta.path("namespace").asText() + "/" + meta.path("name").asText();
                if (evictionErrors.contains(key)) {
                    return status(500, "InternalError", "etcdserver: request timed out");
                }
                int refusals = evictionRefusals.getOrDefault(key, 0);
                if (refusals > 0) {
                    evictionRefusals.put(key, refusals - 1);
                    return status(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.");
                }
                objects.remove(pod);
                ObjectNode ok = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Status").put("status", "Success");
                return new Answer(201, ok);
            }
            default -> {
                return status(405, "MethodNotAllowed", method + " is not implemented by the stub");
            }
        }
    }

    private ObjectNode list(String path, String resource, String fieldSelector, String labelSelector) {
        String[] type = RESOURCES.get(resource);
        ArrayNode items = JSON.createArrayNode();
        boolean allNamespaces = !path.contains("/namespaces/");
        String prefix = path.substring(0, path.lastIndexOf('/'));
        objects.forEach((key, node) -> {
            String parent = key.substring(0, key.lastIndexOf('/'));
            boolean inCollection = allNamespaces
                    ? parent.matches(Pattern.quote(prefix) + "/namespaces/[^/]+/" + resource)
                    || parent.equals(path)
                    : parent.equals(path);
            if (inCollection && matchesFields(node, fieldSelector) && matchesLabels(node, labelSelector)) {
                items.add(node);
            }
        });
        ObjectNode out = JSON.createObjectNode().put("apiVersion", type[0]).put("kind", type[1] + "List");
        out.putObject("metadata").put("resourceVersion", Long.toString(resourceVersion));
        out.set("items", items);
        return out;
    }

    private static boolean matchesFields(JsonNode node, String selector) {
        if (selector == null || selector.isEmpty()) {
            return true;
        }
        for (String term : selector.split(",")) {
            String[] kv = term.split("=", 2);
            JsonNode at = node;
            for (String part : kv[0].split("\\.")) {
                at = at.path(part);
            }
            if (!at.asText().equals(kv[1])) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesLabels(JsonNode node, String selector) {
        if (selector == null || selector.isEmpty()) {
            return true;
        }
        for (String term : selector.split(",")) {
            String[] kv = term.split("=", 2);
            if (!node.path("metadata").path("labels").path(kv[0]).asText().equals(kv[1])) {
                return false;
            }
        }
        return true;
    }

    private static Answer status(int code, String reason, String message) {
        ObjectNode s = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Status").put("status", "Failure")
                .put("message", message).put("reason", reason).put("code", code);
        s.putObject("metadata");
        return new Answer(code, s);
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
