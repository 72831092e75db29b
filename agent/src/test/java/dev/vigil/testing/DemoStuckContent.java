package dev.vigil.testing;

import dev.vigil.content.ContentSource;
import dev.vigil.playbook.PlaybookLock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A content directory for end-to-end runs: one rule turns {@code demo_queue_stuck >= 1} into the evidence of the
 * signature {@code demo-stuck}, whose one low-risk playbook {@code demo-unstick} runs the script {@code unstick}
 * against a state file and verifies that the metric fell to 0. Signed by its playbook lock, so exec steps may run.
 */
public final class DemoStuckContent {
    /** The script {@code unstick} that writes "fixed" into the state file (its second argument). */
    public static final String FIXES = "printf 'fixed\\n' > \"$2\"\necho \"unstuck $4\"\n";

    private DemoStuckContent() {
    }

    /**
     * Writes the content under {@code root}.
     *
     * @param prior       the signature's prior (0.9 acts alone; 0.4 asks for approval)
     * @param weight      the weight of its one evidence
     * @param state       the state file the scripts are handed
     * @param unstickBody the body of the {@code unstick} shell script
     * @param within      how long verification waits
     * @param rollback    whether the playbook rolls back with a script {@code restore} that writes "restored"
     */
    public static Path write(Path root, double prior, double weight, Path state, String unstickBody, String within,
                             boolean rollback) throws IOException {
        Files.createDirectories(root.resolve("rules"));
        Files.createDirectories(root.resolve("signatures"));
        Path scripts = Files.createDirectories(root.resolve("playbooks/scripts"));
        Files.writeString(root.resolve("rules/demo.drl"), """
                package vigil.test.demo;

                import dev.vigil.fact.*;

                rule "demo queue stuck"
                    @signature("demo-stuck") @evidence("stuck")
                when
                    $s : SeriesState( name == "demo_queue_stuck", service != "", host != "", value() >= 1 )
                then
                    insertLogical( Evidence.of( "demo-stuck", "stuck", Target.serviceHost( $s.service(), $s.host() ),
                            "queue stuck", $s.time() ) );
                end
                """);
        Files.writeString(root.resolve("signatures/demo-stuck.yaml"), """
                id: demo-stuck
                title: The demo queue is stuck
                severity: warning
                description: The demo target says its queue is stuck.
                prior: %s
                target: [service, host]
                requires: [stuck]
                evidence:
                  stuck: {source: metric, weight: %s, description: demo_queue_stuck >= 1}
                playbooks: [demo-unstick]
                """.formatted(prior, weight));
        String restore = rollback ? """
                rollback:
                  - name: restore
                    executor: exec
                    timeout: 20s
                    script: restore
                    args: ["--state", "%1$s"]
                """ : "";
        Files.writeString(root.resolve("playbooks/demo-unstick.yaml"), ("""
                id: demo-unstick
                title: Unstick the demo queue
                description: End-to-end test playbook.
                risk: low
                parameters:
                  service: {type: string, pattern: '^[a-z][a-z0-9-]*$', from: target.service}
                  host: {type: hostname, from: target.host}
                steps:
                  - name: unstick
                    executor: exec
                    timeout: 20s
                    script: unstick
                    args: ["--state", "%1$s", "--service", "{{service}}"]
                verification:
                  within: %2$s
                  all:
                    - metric: demo_queue_stuck
                      match: {service: "{{service}}", host: "{{host}}"}
                      op: "=="
                      value: 0
                """ + restore + """
                limits:
                  cooldown: 10m
                  max_runs_per_hour: 2
                  max_concurrent: 1
                  blast_radius: {max_instances: 1}
                """).formatted(state, within));
        script(scripts.resolve("unstick"), unstickBody);
        if (rollback) {
            script(scripts.resolve("restore"), "printf 'restored\\n' > \"$2\"\necho restored\n");
        }
        Files.writeString(root.resolve(PlaybookLock.FILE), PlaybookLock.compute(ContentSource.directory(root)).render());
        return root;
    }

    /**
     * The demo target, on 127.0.0.1 and a free port: its metrics page says {@code demo_queue_stuck} 1 for shop on
     * app-1 until a script writes "fixed" into {@code state}, then 0.
     */
    public static HttpServer serveTarget(Vertx vertx, Path state) throws Exception {
        return vertx.createHttpServer().requestHandler(req -> {
            String now;
            try {
                now = Files.readString(state).strip();
            } catch (IOException e) {
                now = "unreadable";
            }
            req.response().putHeader("content-type", "text/plain; version=0.0.4")
                    .end("# TYPE demo_queue_stuck gauge\ndemo_queue_stuck{service=\"shop\",host=\"app-1\"} "
                            + (now.equals("fixed") ? 0 : 1) + "\n");
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void script(Path p, String body) throws IOException {
        Files.writeString(p, "#!/bin/sh\nset -eu\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
