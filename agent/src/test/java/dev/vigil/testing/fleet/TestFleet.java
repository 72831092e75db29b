package dev.vigil.testing.fleet;

import dev.vigil.content.ContentSource;
import dev.vigil.playbook.PlaybookLock;
import dev.vigil.testing.Await;
import dev.vigil.testing.TempDirs;
import dev.vigil.testing.ZooKeeperEnsemble;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.KeeperException;

/**
 * A fleet of Vigil agents on one machine, for end-to-end tests: a three-server ZooKeeper ensemble from Debian's
 * package, the {@link Referee} with its services of 20 instances, and one agent JVM per {@link Spec}, each in
 * {@code mode: execute} with its own data directory, scrape of the referee, topology and pinned content (one signature,
 * {@value #SIGNATURE}, and one playbook, {@value #PLAYBOOK}: drain, then restart, one instance). Close it to stop
 * every process and remove the directory.
 *
 * <p>To add a scenario: pick a service of its own (the fleet's ledgers count per service, so scenarios do not share
 * caps), break instances with {@link Referee#breakInstance} and show them to the agents that should see them, wait with
 * {@link #until} for {@link AgentProcess#settled}, then judge {@link Referee#actions(String)} and the agents' journals
 * ({@link AgentProcess#records}). {@link AgentProcess#kill} (SIGKILL), {@link AgentProcess#pause} (SIGSTOP) and
 * {@link #observer} (a ZooKeeper client of the test's own, e.g. to find which agent leads) let a scenario take one agent
 * out and watch the others, {@link #correlator} names the elected correlator and {@link #heldServices} its holds.
 * Shared causes are set out of reach for a few broken instances (a thousand hosts, or every instance of a service): a
 * scenario about them breaks all {@value Referee#INSTANCES} instances of a service of its own, which is a shared cause.
 * Every agent stands for correlator (every second, two dependents make an outage), with a settle delay of four seconds
 * so that a hold is in place before the grants it stops; a dependency outage needs the {@code depends_on} edges given
 * to {@link #start(List, Map, List)}.
 */
public final class TestFleet implements AutoCloseable {
    public static final String FLEET = "e2e";
    public static final String SIGNATURE = "e2e-instance-broken";
    public static final String PLAYBOOK = "restart-instance";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /**
     * One agent of the fleet.
     *
     * @param sessionTimeout its ZooKeeper session timeout: 6 s or more, except for an agent a test pauses past it
     */
    public record Spec(String name, Duration sessionTimeout) {
    }

    private final Path dir;
    private final ZooKeeperEnsemble ensemble;
    private final Referee referee;
    private final Vertx vertx = Vertx.vertx();
    private final Map<String, AgentProcess> agents = new LinkedHashMap<>();
    private final Map<String, List<String>> dependsOn;
    private CuratorFramework observer;

    private TestFleet(Path dir, ZooKeeperEnsemble ensemble, Referee referee, Map<String, List<String>> dependsOn) {
        this.dir = dir;
        this.ensemble = ensemble;
        this.referee = referee;
        this.dependsOn = Map.copyOf(dependsOn);
    }

    /** Starts the ensemble, the referee with {@code services}, and the agents; returns once every agent decides. */
    public static TestFleet start(List<String> services, List<Spec> specs) throws IOException {
        return start(services, Map.of(), specs);
    }

    /**
     * The same, with the topology's {@code depends_on} edges (service to the services it needs), which the elected
     * correlator reads to see a dependency outage.
     */
    public static TestFleet start(List<String> services, Map<String, List<String>> dependsOn, List<Spec> specs)
            throws IOException {
        ZooKeeperEnsemble ensemble = ZooKeeperEnsemble.start(3);
        TestFleet fleet = null;
        try {
            fleet = new TestFleet(TempDirs.create("fleet"), ensemble, Referee.start(services), dependsOn);
            for (Spec spec : specs) {
                Path agentDir = Files.createDirectories(fleet.dir.resolve(spec.name()));
                Path content = fleet.content(agentDir.resolve("content"), spec.name());
                fleet.agents.put(spec.name(), AgentProcess.start(spec.name(), agentDir, fleet.config(spec, agentDir), content));
            }
            for (AgentProcess a : fleet.agents.values()) {
                fleet.until(START_TIMEOUT, "agent " + a.name() + " listens", a::ready);
            }
            fleet.observer = CuratorFrameworkFactory.newClient(ensemble.connectString(), 10_000, 5_000, new RetryNTimes(3, 200));
            fleet.observer.start();
            return fleet;
        } catch (IOException | RuntimeException | Error e) {
            if (fleet != null) {
                fleet.close();
            } else {
                ensemble.close();
            }
            throw e;
        }
    }

    public Referee referee() {
        return referee;
    }

    public ZooKeeperEnsemble ensemble() {
        return ensemble;
    }

    public AgentProcess agent(String name) {
        AgentProcess a = agents.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no agent " + name + " in " + agents.keySet());
        }
        return a;
    }

    public List<AgentProcess> agents() {
        return List.copyOf(agents.values());
    }

    /** Waits (without sleeping) for {@code condition}; fails naming {@code what} and the agents' last log lines. */
    public void until(Duration within, String what, BooleanSupplier condition) {
        try {
            Await.until(vertx, within, what, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + logTails(), e);
        }
    }

    /** The last lines of every agent's log, for a failure message. */
    public String logTails() {
        return agents.values().stream().map(a -> "--- " + a.name() + ":\n" + a.log().lines()
                .skip(Math.max(0, a.log().lines().count() - 15)).collect(Collectors.joining("\n")))
                .collect(Collectors.joining("\n"));
    }

    /**
     * Runs {@code vigil fleet kill-switch on|off} as a governor would, in its own JVM; returns when it has exited 0
     * (the switch is then written in ZooKeeper).
     */
    public void killSwitch(boolean on) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path output = dir.resolve("kill-switch.log");
        try {
            Process p = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), "dev.vigil.cli.Main", "fleet", "kill-switch", on ? "on" : "off",
                    "--zookeeper", ensemble.connectString(), "--fleet", FLEET, "--by", "e2e-test")
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            if (!exited || p.exitValue() != 0) {
                throw new AssertionError("vigil fleet kill-switch " + (on ? "on" : "off") + " failed:\n"
                        + Files.readString(output));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * A ZooKeeper client of the test's own on the fleet's ensemble, to watch the fleet's nodes under
     * {@code /vigil/}{@value #FLEET} (locks, ledgers, the kill switch, and whatever the agents publish) from outside.
     */
    public CuratorFramework observer() {
        return observer;
    }

    /**
     * The agents holding a lock on a target in ZooKeeper now (each lock node's data is its agent's name; the node is
     * ephemeral, so it goes when the agent's session ends), read by an observer client of the test's own.
     */
    public List<String> lockHolders() {
        String locks = "/vigil/" + FLEET + "/locks";
        List<String> holders = new ArrayList<>();
        try {
            for (String target : observer.getChildren().forPath(locks)) {
                for (String node : observer.getChildren().forPath(locks + "/" + target)) {
                    try {
                        holders.add(new String(observer.getData().forPath(locks + "/" + target + "/" + node), StandardCharsets.UTF_8));
                    } catch (KeeperException.NoNodeException gone) {
                        // released while we looked
                    }
                }
            }
        } catch (KeeperException.NoNodeException e) {
            return holders;
        } catch (Exception e) {
            throw new AssertionError("cannot read the fleet's locks: " + e, e);
        }
        return holders;
    }

    /** The agent leading as the fleet correlator now (the lowest node of its leader latch), if any. */
    public java.util.Optional<String> correlator() {
        String latch = "/vigil/" + FLEET + "/leader";
        try {
            List<String> nodes = new ArrayList<>(observer.getChildren().forPath(latch));
            // Curator's latch nodes end in their sequence number: the lowest leads
            nodes.sort(java.util.Comparator.comparing(n -> n.substring(n.lastIndexOf('-') + 1)));
            for (String node : nodes) {
                try {
                    return java.util.Optional.of(new String(observer.getData().forPath(latch + "/" + node), StandardCharsets.UTF_8));
                } catch (KeeperException.NoNodeException gone) {
                    // its session ended while we looked: the next one leads
                }
            }
            return java.util.Optional.empty();
        } catch (KeeperException.NoNodeException e) {
            return java.util.Optional.empty();
        } catch (Exception e) {
            throw new AssertionError("cannot read the correlator's latch: " + e, e);
        }
    }

    /** The services the fleet holds now (the correlator's holds, as every agent's grant reads them). */
    public java.util.SortedSet<String> heldServices() {
        String holds = "/vigil/" + FLEET + "/holds";
        java.util.SortedSet<String> services = new java.util.TreeSet<>();
        try {
            for (String node : observer.getChildren().forPath(holds)) {
                byte[] data = observer.getData().forPath(holds + "/" + node);
                if (data != null && data.length > 0) {
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(data)
                            .forEach(h -> services.add(h.path("service").asText()));
                }
            }
        } catch (KeeperException.NoNodeException e) {
            return services;
        } catch (Exception e) {
            throw new AssertionError("cannot read the fleet's holds: " + e, e);
        }
        return services;
    }

    private String config(Spec spec, Path agentDir) {
        StringBuilder topology = new StringBuilder();
        for (String service : referee.services()) {
            topology.append("    - {name: ").append(service).append(", hosts: [")
                    .append(String.join(", ", Referee.instances(service))).append("]");
            if (dependsOn.containsKey(service)) {
                topology.append(", depends_on: [").append(String.join(", ", dependsOn.get(service))).append("]");
            }
            topology.append("}\n");
        }
        // shared-cause thresholds out of reach of a few broken instances: only every instance of a service is one.
        // The settle delay is a few correlator rounds long, so that a hold is written before the grants it stops.
        return """
                listen: {host: 127.0.0.1, port: 0}
                data_dir: %s
                mode: execute
                host_probe: {enabled: false}
                warm_up: false  # four agents and three servers on 2 cores: no replay burst at each start
                status_interval: 5s
                scrape:
                  - {url: "%s/metrics/%s", job: e2e, interval: 1s, timeout: 1s}
                execution: {verify_every: 1s}
                topology:
                  services:
                %s
                fleet:
                  zookeeper: "%s"
                  name: %s
                  agent: %s
                  session_timeout: %ds
                  connection_timeout: 5s
                  settle: 4s
                  shared_cause_hosts: 1000
                  shared_cause_percent: 100
                  correlator: {enabled: true, every: 1s, min_dependents: 2}
                """.formatted(agentDir.resolve("data"), referee.baseUrl(), spec.name(), topology.toString().stripTrailing(),
                ensemble.connectString(), FLEET, spec.name(), spec.sessionTimeout().toSeconds());
    }

    /** The agent's content: the test signature and rule, and the pinned two-step playbook naming the agent. */
    private Path content(Path root, String agent) throws IOException {
        Files.createDirectories(root.resolve("rules"));
        Files.createDirectories(root.resolve("signatures"));
        Files.createDirectories(root.resolve("playbooks"));
        Files.writeString(root.resolve("rules/e2e.drl"), """
                package vigil.test.e2e;

                import dev.vigil.fact.*;

                rule "an instance says it is broken"
                    @signature("%1$s") @evidence("broken")
                when
                    $s : SeriesState( name == "%2$s", service != "", host != "", value() >= 1 )
                then
                    insertLogical( Evidence.of( "%1$s", "broken", Target.serviceHost( $s.service(), $s.host() ),
                            $s.host() + " says it is broken", $s.time() ) );
                end
                """.formatted(SIGNATURE, Referee.METRIC));
        Files.writeString(root.resolve("signatures/" + SIGNATURE + ".yaml"), """
                id: %s
                title: An instance of the referee's service is broken
                severity: warning
                description: The fleet test's service reports an instance broken; restarting it mends it.
                prior: 0.9
                target: [service, host]
                requires: [broken]
                evidence:
                  broken: {source: metric, weight: 3.0, description: %s >= 1}
                playbooks: [%s]
                """.formatted(SIGNATURE, Referee.METRIC, PLAYBOOK));
        String step = """
                  - name: %1$s
                    executor: http
                    timeout: 60s
                    method: POST
                    url: "%2$s/%1$s/{{service}}/{{host}}"
                    headers: {%3$s: %4$s}
                    expect_status: [200]
                """;
        Files.writeString(root.resolve("playbooks/" + PLAYBOOK + ".yaml"), """
                id: %s
                title: Drain and restart one instance
                description: The fleet test's playbook; at most 10 %% of a service's instances per window, fleet-wide.
                risk: low
                parameters:
                  service: {type: string, pattern: '^[a-z][a-z0-9-]*$', from: target.service}
                  host: {type: hostname, from: target.host}
                steps:
                %s%s
                verification:
                  within: 30s
                  all:
                    - metric: %s
                      match: {service: "{{service}}", host: "{{host}}"}
                      op: "=="
                      value: 0
                limits:
                  cooldown: 1s
                  max_runs_per_hour: 60
                  max_concurrent: 4
                  blast_radius: {max_percent: 10}
                """.formatted(PLAYBOOK, step.formatted("drain", referee.baseUrl(), Referee.AGENT_HEADER, agent),
                step.formatted("restart", referee.baseUrl(), Referee.AGENT_HEADER, agent), Referee.METRIC));
        Files.writeString(root.resolve(PlaybookLock.FILE), PlaybookLock.compute(ContentSource.directory(root)).render());
        return root;
    }

    @Override
    public void close() {
        List<Runnable> stops = new ArrayList<>();
        agents.values().forEach(a -> stops.add(a::close));
        if (observer != null) {
            stops.add(observer::close);
        }
        stops.add(referee::close);
        stops.add(ensemble::close);
        stops.add(vertx::close);
        stops.add(() -> TempDirs.delete(dir));
        RuntimeException first = null;
        for (Runnable stop : stops) {
            try {
                stop.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
