package dev.vigil.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.content.ContentException;
import dev.vigil.fact.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dry-run plans: argv without a shell, percent-encoded URLs, SQL values only as bind parameters. */
class DryRunPlannerTest {
    @TempDir
    Path dir;

    static Map<String, String> bind(Playbook p, Target target, Map<String, String> evidence) {
        BindResult r = ParameterBinder.bind(p, target, evidence);
        return assertInstanceOf(BindResult.Bound.class, r, () -> "refused: " + r).values();
    }

    @Test
    void execStep_isAnArgvWithTheValueAsOneWholeElement() throws ContentException {
        Playbook p = Library.playbook("rotate-and-compress-logs");
        String hostile = "/var/log/my app; rm -rf ~ $(reboot) `id`";
        List<PlannedStep> plan = DryRunPlanner.plan(p, bind(p, Target.of("host", "web-1", "mountpoint", hostile), Map.of()));
        assertEquals(1, plan.size());
        PlannedStep step = plan.get(0);
        assertEquals(0, step.index());
        assertEquals("compress-old-logs", step.name());
        assertEquals("exec", step.executor());
        assertEquals(List.of("playbooks/scripts/rotate-logs", "--root", hostile, "--older-than-minutes", "60",
                "--allow-root", "/var/log", "--allow-root", "/srv/log"), step.detail().get("argv"));
        assertEquals(false, step.detail().get("shell"));
        assertEquals("web-1", step.detail().get("host"));
        assertEquals("exec playbooks/scripts/rotate-logs --root \"/var/log/my app; rm -rf ~ $(reboot) `id`\" "
                + "--older-than-minutes 60 --allow-root /var/log --allow-root /srv/log on web-1 (dry-run)", step.summary());
    }

    @Test
    void urlValue_isPercentEncodedIntoOneSegment() throws ContentException {
        Playbook p = Library.playbook("lower-log-level");
        List<PlannedStep> plan = DryRunPlanner.plan(p, bind(p, Target.serviceHost("billing", "app-3"),
                Map.of("logger", "com.example.Batch$Job")));
        PlannedStep step = plan.get(0);
        assertEquals("http://app-3:8081/actuator/loggers/com.example.Batch%24Job", step.detail().get("url"));
        assertEquals("{\"configuredLevel\":\"WARN\"}", step.detail().get("body"));
        assertEquals("1h", step.detail().get("revert_after"));
        assertEquals("{\"configuredLevel\":null}", step.detail().get("revert_body"));
        assertEquals("http POST http://app-3:8081/actuator/loggers/com.example.Batch%24Job, reverted after 1h (dry-run)",
                step.summary());
        PlannedStep undo = DryRunPlanner.planRollback(p, bind(p, Target.serviceHost("billing", "app-3"),
                Map.of("logger", "com.example.Batch$Job"))).get(0);
        assertEquals("{\"configuredLevel\":null}", undo.detail().get("body"));
    }

    @Test
    void urlValueWithSlashesQueryAndFragment_cannotChangeTheUrlsShape() throws ContentException {
        Playbook p = new TestContent(dir).file("encode.yaml", """
                id: encode
                title: Encoding
                description: A permissive pattern, to show that encoding alone keeps the URL's shape.
                risk: low
                parameters:
                  host: {type: hostname, from: target.host}
                  name: {type: string, pattern: '^[ -~]{1,64}$', from: evidence.name}
                steps:
                  - name: tell
                    executor: notify
                    timeout: 5s
                    message: "{{name}}"
                    channels: [default]
                  - name: call
                    executor: http
                    timeout: 5s
                    method: GET
                    url: "https://{{host}}/items/{{name}}/x?q={{name}}"
                    expect_status: [200]
                verification:
                  within: 1m
                  all:
                    - {metric: up, op: "==", value: 1}
                limits: {cooldown: 1m, max_runs_per_hour: 1, max_concurrent: 1, blast_radius: {max_percent: 10}}
                """).playbook("encode");
        Map<String, String> values = bind(p, Target.of("host", "api.example.com"),
                Map.of("name", "a b/../c?d=1&e#f%{{host}}"));
        PlannedStep step = DryRunPlanner.plan(p, values).get(1);
        String enc = "a%20b%2F..%2Fc%3Fd%3D1%26e%23f%25%7B%7Bhost%7D%7D";
        assertEquals("https://api.example.com/items/" + enc + "/x?q=" + enc, step.detail().get("url"));
        // a value that looks like a template is text, never expanded again
        assertEquals("a b/../c?d=1&e#f%{{host}}", DryRunPlanner.plan(p, values).get(0).detail().get("message"));
    }

    @Test
    void sqlStep_keepsValuesAsBindParametersAndNeverInTheStatement() throws ContentException {
        Playbook p = Library.playbook("pg-terminate-idle-in-transaction");
        StepAction.Sql sql = (StepAction.Sql) p.steps().get(0).action();
        PlannedStep step = DryRunPlanner.plan(p, Map.of("service", "orders-db", "idle_minutes", "7",
                "max_sessions", "42")).get(0);
        assertEquals("orders-db", step.detail().get("connection"));
        assertEquals(sql.statement(), step.detail().get("statement"));
        assertEquals(Map.of("idle_minutes", 7L, "max_sessions", 42L), step.detail().get("bind"));
        assertEquals(List.of(7L, 42L), step.detail().get("jdbc_parameters"));
        String jdbc = (String) step.detail().get("jdbc_statement");
        assertTrue(jdbc.contains("make_interval(mins => ?)"), jdbc);
        assertTrue(jdbc.contains("LIMIT ?)"), jdbc);
        assertFalse(jdbc.contains("7") || jdbc.contains("42") || jdbc.contains(":idle_minutes"), jdbc);
        assertTrue(step.summary().startsWith("sql on orders-db: SELECT pid, pg_terminate_backend(pid)"), step.summary());
        assertTrue(step.summary().endsWith(" with idle_minutes=7, max_sessions=42 (dry-run)"), step.summary());
    }

    @Test
    void sqlStringValueWithQuotes_staysABindValue() throws ContentException {
        Playbook p = new TestContent(dir).file("lookup.yaml", """
                id: lookup
                title: Lookup
                description: A string bind parameter with a permissive pattern.
                risk: low
                parameters:
                  user: {type: string, pattern: '^[ -~]{1,64}$', from: evidence.user}
                steps:
                  - name: kill
                    executor: sql
                    timeout: 5s
                    connection: db
                    statement: "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :user AND query <> ':user'"
                    bind: [user]
                verification:
                  within: 1m
                  all:
                    - metric: up
                      op: "=="
                      value: 1
                limits: {cooldown: 1m, max_runs_per_hour: 1, max_concurrent: 1, blast_radius: {max_instances: 1}}
                """).playbook("lookup");
        String hostile = "x' OR '1'='1'; DROP TABLE users; --";
        PlannedStep step = DryRunPlanner.plan(p, bind(p, Target.ANY, Map.of("user", hostile))).get(0);
        assertEquals("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ? AND query <> ':user'",
                step.detail().get("jdbc_statement"));
        assertEquals(List.of(hostile), step.detail().get("jdbc_parameters"));
        assertFalse(((String) step.detail().get("statement")).contains("DROP"));
    }

    @Test
    void kubernetesScale_isBoundedByItsParameter() throws ContentException {
        Playbook p = Library.playbook("scale-out-consumers");
        PlannedStep step = DryRunPlanner.plan(p, bind(p, Target.of("service", "orders-consumer", "namespace", "prod",
                "consumergroup", "orders"), Map.of("partitions", "12"))).get(0);
        assertEquals(Map.of("action", "scale", "kind", "Deployment", "namespace", "prod", "name", "orders-consumer",
                "delta", 1, "max_replicas", 12L, "timeout", "5m", "dry_run", true), step.detail());
        assertEquals("kubernetes scale Deployment prod/orders-consumer by +1 up to 12 replicas (dry-run)", step.summary());
    }

    @Test
    void stepWithAWhen_runsOnlyWhenItHolds() throws ContentException {
        Playbook p = Library.playbook("restart-service");
        List<PlannedStep> systemd = DryRunPlanner.plan(p, bind(p, Target.serviceHost("orders-db", "db-1"),
                Map.of("unit", "postgresql@15-main")));
        assertEquals(1, systemd.size());
        assertEquals(1, systemd.get(0).index());
        assertEquals("exec playbooks/scripts/systemd-restart --unit postgresql@15-main on db-1 (dry-run)",
                systemd.get(0).summary());
        List<PlannedStep> k8s = DryRunPlanner.plan(p, bind(p, Target.of("service", "search", "namespace", "prod"),
                Map.of()));
        assertEquals(1, k8s.size());
        assertEquals("kubernetes rollout-restart Deployment prod/search (dry-run)", k8s.get(0).summary());
    }

    @Test
    void plannerRefusesValuesThatDidNotPassTheBinder() throws ContentException {
        Playbook p = Library.playbook("recycle-connection-pool");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> DryRunPlanner.plan(p,
                Map.of("service", "checkout", "host", "app-1", "pool", "x/../../admin", "admin_port", "8081")));
        assertEquals("parameter pool: value \"x/../../admin\" does not match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
                bad.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> DryRunPlanner.plan(p, Map.of("service", "checkout", "host", "app-1", "admin_port", "8081")));
        assertEquals("playbook recycle-connection-pool: step soft-evict needs parameter pool, which has no value",
                missing.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> DryRunPlanner.plan(p, Map.of("cmd", "reboot")));
        assertEquals("playbook recycle-connection-pool has no parameter \"cmd\"", unknown.getMessage());
    }

    @Test
    void planIsImmutable() throws ContentException {
        Playbook p = Library.playbook("notify-owner");
        List<PlannedStep> plan = DryRunPlanner.plan(p, Map.of("subject", "search"));
        assertThrows(UnsupportedOperationException.class, () -> plan.get(0).detail().put("x", 1));
        assertThrows(UnsupportedOperationException.class, () -> plan.add(plan.get(0)));
        assertEquals("notify default: Vigil needs a human for search: a known failure that no playbook should fix alone. "
                + "The evidence is attached. (dry-run)", plan.get(0).summary());
    }
}
