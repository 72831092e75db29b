package dev.vigil.daemon;

import dev.vigil.condense.CondenseConfig;
import dev.vigil.condense.ForecastConfig;
import dev.vigil.confidence.ConfidenceModel;
import dev.vigil.decision.GovernancePolicy;
import dev.vigil.engine.Engine;
import dev.vigil.fact.ProtectedPath;
import java.util.List;

/**
 * How a pipeline runs: the clock, the policy, the confidence model, the condense bounds, the paths never to clean
 * up, and whether playbooks may act for real (only when the daemon runs in {@code mode: execute}), and how the
 * online detectors run. Immutable.
 */
public record PipelineOptions(Engine.ClockKind clock, GovernancePolicy policy, ConfidenceModel confidence,
                              CondenseConfig condense, List<ProtectedPath> protectedPaths, boolean dryRun,
                              String decisionIdPrefix, ForecastConfig forecast) {
    public PipelineOptions {
        protectedPaths = List.copyOf(protectedPaths);
    }

    /** The same options, acting for real ({@code false}) or only planning. */
    public PipelineOptions withDryRun(boolean dryRun) {
        return new PipelineOptions(clock, policy, confidence, condense, protectedPaths, dryRun, decisionIdPrefix, forecast);
    }

    /** The same options with the online detectors run as configured. */
    public PipelineOptions withForecast(ForecastConfig forecast) {
        return new PipelineOptions(clock, policy, confidence, condense, protectedPaths, dryRun, decisionIdPrefix, forecast);
    }

    /** Data directories of common stateful servers: a disk filling there is never cleaned up automatically. */
    public static List<ProtectedPath> defaultProtectedPaths() {
        String why = "data directory of a stateful server";
        return List.of(
                new ProtectedPath("/var/lib/postgresql", why), new ProtectedPath("/var/lib/pgsql", why),
                new ProtectedPath("/var/lib/mysql", why), new ProtectedPath("/var/lib/mongodb", why),
                new ProtectedPath("/var/lib/redis", why), new ProtectedPath("/var/lib/kafka", why),
                new ProtectedPath("/var/lib/zookeeper", why), new ProtectedPath("/var/lib/elasticsearch", why),
                new ProtectedPath("/var/lib/cassandra", why), new ProtectedPath("/var/lib/etcd", why),
                new ProtectedPath("/var/lib/prometheus", why), new ProtectedPath("/var/lib/docker", why));
    }

    /** Replay: pseudo clock, default policy and model, dry-run. */
    public static PipelineOptions replay() {
        return of(Engine.ClockKind.PSEUDO, PolicyFile.defaults(), "d-");
    }

    /** Dry-run options on a clock, with a governors' policy and the default confidence model and bounds. */
    public static PipelineOptions of(Engine.ClockKind clock, PolicyFile.Policy policy, String decisionIdPrefix) {
        return new PipelineOptions(clock, policy.governance(), ConfidenceModel.withDefaults(), CondenseConfig.defaults(),
                policy.protectedPaths(), true, decisionIdPrefix, ForecastConfig.defaults());
    }
}
