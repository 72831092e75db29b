package dev.vigil.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import dev.vigil.content.ContentSource;
import dev.vigil.decision.Risk;
import dev.vigil.fact.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The starter library in the repository's {@code playbooks/}, as the Playbooks table of SIGNATURES.md lists it. */
class PlaybookLibraryTest {
    /** id -> risk and step executors, from SIGNATURES.md. */
    static final Map<String, Object[]> TABLE = new TreeMap<>(Map.ofEntries(
            Map.entry("recycle-connection-pool", new Object[] {Risk.LOW, Set.of(Executor.HTTP)}),
            Map.entry("pg-terminate-idle-in-transaction", new Object[] {Risk.LOW, Set.of(Executor.SQL)}),
            Map.entry("rotate-and-compress-logs", new Object[] {Risk.LOW, Set.of(Executor.EXEC)}),
            Map.entry("clean-tmp-files", new Object[] {Risk.LOW, Set.of(Executor.EXEC)}),
            Map.entry("heap-dump-and-rolling-restart", new Object[] {Risk.MEDIUM, Set.of(Executor.EXEC)}),
            Map.entry("rolling-restart-service", new Object[] {Risk.MEDIUM, Set.of(Executor.KUBERNETES, Executor.EXEC)}),
            Map.entry("restart-service", new Object[] {Risk.MEDIUM, Set.of(Executor.KUBERNETES, Executor.EXEC)}),
            Map.entry("raise-memory-limit", new Object[] {Risk.HIGH, Set.of(Executor.KUBERNETES)}),
            Map.entry("raise-cpu-limit", new Object[] {Risk.MEDIUM, Set.of(Executor.KUBERNETES)}),
            Map.entry("rollback-deployment", new Object[] {Risk.MEDIUM, Set.of(Executor.KUBERNETES, Executor.EXEC)}),
            Map.entry("scale-out-service", new Object[] {Risk.LOW, Set.of(Executor.KUBERNETES)}),
            Map.entry("scale-out-consumers", new Object[] {Risk.LOW, Set.of(Executor.KUBERNETES)}),
            Map.entry("renew-certificate", new Object[] {Risk.LOW, Set.of(Executor.EXEC)}),
            Map.entry("cordon-and-drain-node", new Object[] {Risk.HIGH, Set.of(Executor.KUBERNETES)}),
            Map.entry("lower-log-level", new Object[] {Risk.LOW, Set.of(Executor.HTTP)}),
            Map.entry("restart-local-resolver", new Object[] {Risk.LOW, Set.of(Executor.EXEC)}),
            Map.entry("restart-time-sync", new Object[] {Risk.LOW, Set.of(Executor.EXEC)}),
            Map.entry("redis-raise-maxmemory", new Object[] {Risk.MEDIUM, Set.of(Executor.EXEC)}),
            Map.entry("notify-owner", new Object[] {Risk.NONE, Set.of(Executor.NOTIFY)})));

    /** A realistic diagnosis target and evidence bindings per playbook, as the scenarios produce them. */
    static Stream<Object[]> realisticTargets() {
        return Stream.of(
                new Object[] {"recycle-connection-pool", Target.of("service", "checkout", "host", "app-1", "pool", "HikariPool-1"), Map.of()},
                new Object[] {"pg-terminate-idle-in-transaction", Target.serviceHost("orders-db", "db-1"), Map.of()},
                new Object[] {"rotate-and-compress-logs", Target.of("host", "web-1", "mountpoint", "/var/log"), Map.of()},
                new Object[] {"clean-tmp-files", Target.of("host", "web-1", "mountpoint", "/"), Map.of()},
                new Object[] {"heap-dump-and-rolling-restart", Target.serviceHost("inventory", "inv-2"), Map.of()},
                new Object[] {"rolling-restart-service", Target.serviceHost("inventory", "inv-2"), Map.of()},
                new Object[] {"restart-service", Target.serviceHost("orders-db", "db-1"), Map.of("unit", "postgresql@15-main")},
                new Object[] {"restart-service", Target.service("orders-db"), Map.of("host", "db-1")},
                new Object[] {"raise-memory-limit", Target.of("service", "search", "namespace", "prod", "pod", "search-7d9f-x2kq"), Map.of()},
                new Object[] {"raise-cpu-limit", Target.of("service", "search", "namespace", "prod"), Map.of()},
                new Object[] {"rollback-deployment", Target.of("service", "payments", "namespace", "prod"), Map.of()},
                new Object[] {"rollback-deployment", Target.service("payments"), Map.of("version", "2.3.1")},
                new Object[] {"scale-out-service", Target.of("service", "web", "namespace", "prod"), Map.of("max_replicas", "8")},
                new Object[] {"scale-out-consumers", Target.of("service", "orders-consumer", "namespace", "prod", "consumergroup", "orders"), Map.of("partitions", "12")},
                new Object[] {"renew-certificate", Target.of("service", "edge", "host", "edge-1", "instance", "https://api.example.com"), Map.of()},
                new Object[] {"cordon-and-drain-node", Target.of("node", "node-3", "host", "node-3"), Map.of()},
                new Object[] {"lower-log-level", Target.serviceHost("billing", "app-8"), Map.of("logger", "com.example.billing.Batch")},
                new Object[] {"restart-local-resolver", Target.of("host", "app-7"), Map.of()},
                new Object[] {"restart-time-sync", Target.of("host", "db-1"), Map.of()},
                new Object[] {"redis-raise-maxmemory", Target.serviceHost("cache", "redis-1"), Map.of()},
                new Object[] {"notify-owner", Target.service("search"), Map.of()});
    }

    @Test
    @DisplayName("the built-in library loads with no error and holds exactly the 19 playbooks of SIGNATURES.md")
    void libraryHasExactlyTheNineteenIds() throws ContentException {
        assertEquals(TABLE.keySet(), new TreeSet<>(Library.catalog().ids()));
        assertEquals(19, Library.catalog().all().size());
    }

    @Test
    void risksAndExecutorsFollowTheTable() throws ContentException {
        for (Playbook p : Library.catalog().all()) {
            Object[] row = TABLE.get(p.id());
            assertEquals(row[0], p.risk(), p.id());
            assertEquals(row[1], p.steps().stream().map(Step::executor).collect(Collectors.toSet()), p.id());
        }
    }

    @Test
    void deadlinesFollowTheTableWhereItGivesOne() throws ContentException {
        assertEquals(Duration.ofMinutes(2), Library.playbook("recycle-connection-pool").verification().within());
        assertEquals(Duration.ofMinutes(1), Library.playbook("pg-terminate-idle-in-transaction").verification().within());
        assertEquals(Duration.ofMinutes(5), Library.playbook("rotate-and-compress-logs").verification().within());
        assertEquals(Duration.ofMinutes(2), Library.playbook("restart-service").verification().within());
    }

    @Test
    void notifyOwnerChangesNothing() throws ContentException {
        Playbook p = Library.playbook("notify-owner");
        assertEquals(Risk.NONE, p.risk());
        assertNull(p.verification());
        assertEquals(1, p.steps().size());
        StepAction.Notify notify = assertInstanceOf(StepAction.Notify.class, p.steps().get(0).action());
        assertTrue(notify.includeEvidence());
    }

    @Test
    void everyPlaybookThatActsIsVerifiedAndBounded() throws ContentException {
        for (Playbook p : Library.catalog().all()) {
            if (p.risk() == Risk.NONE) {
                continue;
            }
            assertNotNull(p.verification(), p.id());
            Limits.BlastRadius b = p.limits().blastRadius();
            assertTrue(b.maxInstances().isPresent() || b.maxPercent().isPresent(), p.id());
            assertTrue(p.limits().cooldown().compareTo(Duration.ofMinutes(10)) >= 0, p.id());
        }
    }

    @Test
    void sourceFileAndHashAreThoseOfTheFile() throws ContentException {
        ContentSource source = ContentSource.directory(Library.repo());
        for (Playbook p : Library.catalog().all()) {
            assertEquals("playbooks/" + p.id() + ".yaml", p.sourceFile());
            ContentFile f = source.read(p.sourceFile());
            assertEquals(f.sha256(), p.sha256(), p.id());
        }
    }

    @Test
    @DisplayName("every script is used by a playbook, executable, POSIX sh with set -eu; every exec step names one")
    void scriptsAreExecutableShellWithSetEu() throws ContentException, IOException {
        Set<String> used = new TreeSet<>();
        for (Playbook p : Library.catalog().all()) {
            Stream.concat(p.steps().stream(), p.rollback().stream())
                    .filter(s -> s.action() instanceof StepAction.Exec)
                    .forEach(s -> used.add(((StepAction.Exec) s.action()).script()));
        }
        Path scripts = Library.repo().resolve("playbooks/scripts");
        Set<String> present;
        try (Stream<Path> s = Files.list(scripts)) {
            present = s.map(x -> x.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(Set.of("clean-tmp", "deploy-rollback", "heap-dump", "redis-maxmemory", "renew-certificate",
                "rotate-logs", "systemd-restart"), present);
        assertEquals(present, used);
        for (String name : present) {
            Path f = scripts.resolve(name);
            assertTrue(Files.isExecutable(f), name + " is executable");
            List<String> lines = Files.readAllLines(f);
            assertEquals("#!/bin/sh", lines.get(0), name);
            assertTrue(lines.contains("set -eu"), name + " uses set -eu");
        }
    }

    @ParameterizedTest(name = "{0} binds a realistic target and plans a dry run")
    @MethodSource("realisticTargets")
    void everyPlaybookBindsAndPlans(String id, Target target, Map<String, String> evidence) throws ContentException {
        Playbook p = Library.playbook(id);
        BindResult r = ParameterBinder.bind(p, target, evidence);
        Map<String, String> values = assertInstanceOf(BindResult.Bound.class, r, () -> id + " refused: " + r).values();
        List<PlannedStep> plan = DryRunPlanner.plan(p, values);
        assertFalse(plan.isEmpty(), id);
        for (PlannedStep step : plan) {
            assertTrue(step.summary().endsWith(" (dry-run)"), step.summary());
            assertEquals(true, step.detail().get("dry_run"));
            assertFalse(step.summary().contains("{{"), step.summary());
        }
        DryRunPlanner.planRollback(p, values);
    }

    @Test
    @DisplayName("the PostgreSQL data directory is never a log root (disk-will-fill-datadir)")
    void dataDirectoryIsRefused() throws ContentException {
        BindResult r = ParameterBinder.bind(Library.playbook("rotate-and-compress-logs"),
                Target.of("host", "db-1", "mountpoint", "/var/lib/postgresql"), Map.of());
        assertEquals(List.of("parameter mountpoint: value \"/var/lib/postgresql\" is not under one of "
                + "[/var/log, /srv/log]"), assertInstanceOf(BindResult.Refused.class, r).reasons());
    }

    @Test
    @DisplayName("a dependency named by service only is restarted on the host its evidence binds (dependency-outage)")
    void dependencyRestartUsesTheHostFromEvidence() throws ContentException {
        Playbook p = Library.playbook("restart-service");
        Map<String, String> values = assertInstanceOf(BindResult.Bound.class, ParameterBinder.bind(p,
                Target.service("orders-db"), Map.of("host", "db-1"))).values();
        assertEquals(List.of("exec playbooks/scripts/systemd-restart --unit orders-db on db-1 (dry-run)"),
                DryRunPlanner.plan(p, values).stream().map(PlannedStep::summary).toList());
    }

    @Test
    @DisplayName("a deploy outside Kubernetes is rolled back by the configured command, from the bound version (bad-deploy)")
    void deployOutsideKubernetesUsesTheConfiguredCommand() throws ContentException {
        Playbook p = Library.playbook("rollback-deployment");
        Map<String, String> values = assertInstanceOf(BindResult.Bound.class, ParameterBinder.bind(p,
                Target.service("payments"), Map.of("version", "2.3.1"))).values();
        PlannedStep step = DryRunPlanner.plan(p, values).get(0);
        assertEquals(List.of("playbooks/scripts/deploy-rollback", "--service", "payments", "--from-version", "2.3.1"),
                step.detail().get("argv"));
        assertEquals(List.of("parameter version: no value from evidence.version, and step configured-rollback needs it"),
                assertInstanceOf(BindResult.Refused.class, ParameterBinder.bind(p, Target.service("payments"), Map.of()))
                        .reasons());
    }

    @Test
    void playbookRecordsAreImmutable() throws ContentException {
        Playbook p = Library.playbook("recycle-connection-pool");
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> p.steps().clear());
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> p.parameters().clear());
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> p.verification().all().clear());
    }
}
