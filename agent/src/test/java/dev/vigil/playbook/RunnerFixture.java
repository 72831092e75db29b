package dev.vigil.playbook;

import static org.junit.jupiter.api.Assertions.fail;

import dev.vigil.decision.Decision;
import dev.vigil.decision.DecisionKind;
import dev.vigil.fact.Evidence;
import dev.vigil.fact.Labels;
import dev.vigil.fact.SeriesState;
import dev.vigil.fact.ServiceNode;
import dev.vigil.fact.Target;
import dev.vigil.fact.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A playbook runner on test content, a fake clock, recorded journal records, fake step executors (the
 * {@link StepExecutor} contract) and live facts the test sets. Not thread-safe except where noted.
 */
final class RunnerFixture implements AutoCloseable {
    static final String PLAYBOOK = """
            id: restart-app
            title: Restart the app
            description: For runner tests.
            risk: low
            parameters:
              service: {type: string, pattern: '^[a-z][a-z0-9-]*$', from: target.service}
              host: {type: hostname, from: target.host}
            preconditions:
              - metric: app_up
                match: {service: "{{service}}", host: "{{host}}"}
                op: "=="
                value: 1
            steps:
              - name: restart
                executor: exec
                timeout: 10s
                script: restart-app
                args: ["--host", "{{host}}"]
              - name: tell
                executor: notify
                timeout: 10s
                message: "restarted {{service}} on {{host}}"
                channels: [default]
            verification:
              within: 2m
              all:
                - metric: app_errors
                  match: {service: "{{service}}", host: "{{host}}"}
                  op: "<"
                  value: 1
            rollback:
              - name: undo
                executor: exec
                timeout: 10s
                script: restart-app
                args: ["--undo", "{{host}}"]
            limits:
              cooldown: 10m
              max_runs_per_hour: 3
              max_concurrent: 1
              blast_radius: {max_instances: 2}
            """;

    /** A clock the test moves; thread-safe. */
    static final class FakeClock implements InstantSource {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T10:00:00Z"));

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }
    }

    /** Series the test sets, read by the runner through {@link Conditions}; thread-safe. */
    final class Facts implements FactView {
        private final Map<String, SeriesState> series = new HashMap<>();

        synchronized void set(String metric, String service, String host, double value) {
            SeriesState s = series.computeIfAbsent(metric + " " + service + " " + host, k -> new SeriesState(metric,
                    Labels.of("service", service, "host", host), service, host, false, 3_600_000, 64));
            s.add(clock.millis(), value);
        }

        @Override
        public synchronized List<ConditionCheck> check(List<Condition> conditions, Map<String, String> values, long notBefore) {
            return Conditions.check(conditions, values, new LiveFacts() {
                @Override
                public Collection<SeriesState> series(String metric) {
                    return series.values().stream().filter(s -> s.name().equals(metric)).toList();
                }

                @Override
                public Collection<Evidence> evidence() {
                    return List.of();
                }
            }, notBefore);
        }
    }

    /** A step executor that answers per step name and records every call; thread-safe. */
    static final class FakeExecutor implements StepExecutor {
        private final Executor kind;
        final Map<String, Function<Map<String, String>, StepOutcome>> answers = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        /** The fencing token each call was handed (empty outside a fleet grant). */
        final List<java.util.OptionalLong> tokens = new CopyOnWriteArrayList<>();

        FakeExecutor(Executor kind) {
            this.kind = kind;
        }

        @Override
        public Executor kind() {
            return kind;
        }

        @Override
        public StepOutcome run(Step step, int index, Map<String, String> values, java.util.OptionalLong fencingToken) {
            tokens.add(fencingToken);
            return run(step, index, values);
        }

        @Override
        public StepOutcome run(Step step, int index, Map<String, String> values) {
            calls.add(step.name() + " " + values.get("host"));
            return answers.getOrDefault(step.name(), v -> StepOutcome.succeeded("ok", 1)).apply(values);
        }
    }

    /** One journal record. */
    record Entry(String type, Map<String, ?> data) {
    }

    final FakeClock clock = new FakeClock();
    final Facts facts = new Facts();
    final FakeExecutor exec = new FakeExecutor(Executor.EXEC);
    final FakeExecutor notify = new FakeExecutor(Executor.NOTIFY);
    final List<Entry> journal = new CopyOnWriteArrayList<>();
    final TrackRecords trackRecords = new TrackRecords();
    /** What the fleet answers each run; a fleet of one unless a test says otherwise. */
    final AtomicReference<FleetPermits> fleet = new AtomicReference<>(FleetPermits.LOCAL);
    final PlaybookRunner runner;
    private final AtomicInteger ids = new AtomicInteger();

    RunnerFixture(Path dir, RunnerConfig config, Topology topology, String... extraPlaybooks) throws Exception {
        TestContent content = new TestContent(dir).file("restart-app.yaml", PLAYBOOK);
        Files.writeString(dir.resolve("playbooks/scripts/restart-app"), "#!/bin/sh\nset -eu\n");
        for (int i = 0; i < extraPlaybooks.length; i += 2) {
            content.file(extraPlaybooks[i], extraPlaybooks[i + 1]);
        }
        runner = new PlaybookRunner(config, content.load(), List.of(exec, notify), facts, () -> topology,
                (type, data) -> journal.add(new Entry(type, Map.copyOf(data))), clock, trackRecords,
                (decision, playbook, target, instances) -> fleet.get().request(decision, playbook, target, instances));
    }

    RunnerFixture(Path dir) throws Exception {
        this(dir, RunnerConfig.defaults().withVerifyEvery(Duration.ofMillis(10)), new Topology(List.of(
                new ServiceNode("shop", "", List.of("web-1", "web-2", "web-3", "web-4"), List.of()))));
    }

    Decision decision(String playbook, Target target) {
        return new Decision("d-" + ids.incrementAndGet(), clock.millis(), "app-broken", target, 0.97,
                DecisionKind.EXECUTE, playbook, List.of("test"), 0, Map.of(), Map.of());
    }

    /** The app on {@code host} is up and failing, so a run may start. */
    void failing(String host) {
        facts.set("app_up", "shop", host, 1);
        facts.set("app_errors", "shop", host, 5);
    }

    /** Waits for the run, moving the fake clock 30 s every 20 ms so verification deadlines pass. */
    RunResult await(CompletableFuture<RunResult> f) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return f.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                clock.advance(Duration.ofSeconds(30));
            }
        }
        return fail("the run did not end within 20 s");
    }

    /** Waits for the run without moving the clock. */
    static RunResult get(CompletableFuture<RunResult> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    List<Entry> records(String type) {
        List<Entry> out = new ArrayList<>();
        journal.stream().filter(e -> e.type().equals(type)).forEach(out::add);
        return out;
    }

    List<String> types(String run) {
        return journal.stream().filter(e -> run.equals(e.data().get("run"))).map(Entry::type).toList();
    }

    @Override
    public void close() {
        runner.close(Duration.ofSeconds(5));
    }
}
