package dev.vigil.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.content.ContentError;
import dev.vigil.content.YamlDocument;
import dev.vigil.playbook.KubernetesTarget;
import dev.vigil.playbook.SqlConnection;
import dev.vigil.playbook.SqlConnections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code executors:} section: the named PostgreSQL connections {@code sql} steps may use, and the cluster
 * {@code kubernetes} steps act on. Without it neither executor is installed and such steps are refused. Immutable.
 */
public record ExecutorsConfig(SqlConnections sql, Optional<KubernetesTarget> kubernetes) {
    public static final ExecutorsConfig NONE = new ExecutorsConfig(SqlConnections.none(), Optional.empty());

    static ExecutorsConfig parse(YamlDocument doc, JsonNode executors, List<ContentError> errors) {
        List<SqlConnection> connections = new ArrayList<>();
        for (Map.Entry<String, JsonNode> c : executors.path("sql").path("connections").properties()) {
            String at = "/executors/sql/connections/" + c.getKey();
            JsonNode n = c.getValue();
            SqlConnection.Password password = n.hasNonNull("password_file")
                    ? SqlConnection.Password.file(Path.of(n.get("password_file").asText()))
                    : n.hasNonNull("password_env") ? SqlConnection.Password.env(n.get("password_env").asText())
                    : SqlConnection.Password.none();
            try {
                connections.add(new SqlConnection(c.getKey(), n.path("url").asText(), n.path("user").asText(), password));
            } catch (IllegalArgumentException e) {
                errors.add(doc.error(at, e.getMessage()));
            }
        }
        SqlConnections sql = SqlConnections.none();
        try {
            sql = SqlConnections.of(connections);
        } catch (IllegalArgumentException e) {
            errors.add(doc.error("/executors/sql/connections", e.getMessage()));
        }
        Optional<KubernetesTarget> kubernetes = Optional.empty();
        JsonNode k = executors.path("kubernetes");
        if (k.isObject()) {
            Optional<Path> kubeconfig = k.hasNonNull("kubeconfig") ? Optional.of(Path.of(k.get("kubeconfig").asText())) : Optional.empty();
            if (kubeconfig.isPresent() && !Files.isReadable(kubeconfig.get())) {
                errors.add(doc.error("/executors/kubernetes/kubeconfig", "cannot read " + kubeconfig.get()));
            }
            kubernetes = Optional.of(new KubernetesTarget(kubeconfig,
                    k.hasNonNull("context") ? Optional.of(k.get("context").asText()) : Optional.empty(),
                    DaemonConfig.duration(k, "request_timeout", KubernetesTarget.DEFAULT_REQUEST_TIMEOUT.toSeconds() + "s")));
        }
        return new ExecutorsConfig(sql, kubernetes);
    }
}
