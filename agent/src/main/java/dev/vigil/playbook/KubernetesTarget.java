package dev.vigil.playbook;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster {@code kubernetes} steps act on, from config: a kubeconfig file and context, or the client's own
 * discovery (in-cluster service account, {@code $KUBECONFIG}, {@code ~/.kube/config}) when no file is given.
 * Immutable.
 *
 * @param kubeconfig     the kubeconfig file; empty to let the client discover its configuration
 * @param context        the context to use; empty for the file's current context
 * @param requestTimeout the longest one API request may take (a step's own timeout bounds the whole action)
 */
public record KubernetesTarget(Optional<Path> kubeconfig, Optional<String> context, Duration requestTimeout) {
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    public KubernetesTarget {
        Objects.requireNonNull(kubeconfig, "kubeconfig");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("kubernetes request timeout must be > 0, was " + requestTimeout);
        }
    }

    public static KubernetesTarget of(Path kubeconfig, String context) {
        return new KubernetesTarget(Optional.of(kubeconfig), Optional.ofNullable(context), DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * A client for this cluster. The client's own retries are off: the executor decides what to retry within the
     * step's timeout. Throws {@link IllegalArgumentException} naming the file when it does not exist.
     */
    public KubernetesClient client() {
        Config config;
        if (kubeconfig.isPresent()) {
            Path file = kubeconfig.get();
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("kubeconfig " + file + " does not exist or is not readable");
            }
            config = Config.fromKubeconfig(context.orElse(null), file.toFile());
        } else {
            config = Config.autoConfigure(context.orElse(null));
        }
        config.setRequestRetryBackoffLimit(0);
        config.setRequestTimeout((int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis()));
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
