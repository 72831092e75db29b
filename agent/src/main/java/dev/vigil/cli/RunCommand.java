package dev.vigil.cli;

import dev.vigil.audit.AuditException;
import dev.vigil.audit.AuditJournal;
import dev.vigil.daemon.Agent;
import dev.vigil.daemon.Content;
import dev.vigil.daemon.Pipeline;
import dev.vigil.daemon.PipelineOptions;
import dev.vigil.daemon.PolicyFile;
import dev.vigil.engine.Engine;
import dev.vigil.ingest.HostProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil run}: watches the local host with the built-in probe, on the built-in (or given) content, in dry-run,
 * until SIGTERM or Ctrl-C.
 */
@Command(name = "run", description = "Run the agent on this host: probe CPU, memory, filesystems and file descriptors, "
        + "match the signatures, and decide. Dry-run: no playbook acts (real execution is not built yet).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ContentOption content;

    @Mixin
    PolicyOption policy;

    @Option(names = "--data", paramLabel = "DIR", description = "Where the audit journal is written (default: ./vigil-data).")
    Path data = Path.of("vigil-data");

    @Option(names = "--interval", paramLabel = "SECONDS", description = "Seconds between host probes (default: 15).")
    int intervalSeconds = 15;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds (default: run until stopped).")
    Integer durationSeconds;

    @Option(names = "--proc", paramLabel = "DIR", hidden = true, description = "The proc filesystem to read (tests).")
    Path proc = Path.of("/proc");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (intervalSeconds < 1) {
            err.println("vigil run: --interval must be at least 1 second, was " + intervalSeconds);
            return 2;
        }
        Optional<Setup> setup = Setup.load(content, policy, err, "vigil run");
        if (setup.isEmpty()) {
            return 2;
        }
        Content loaded = setup.get().content();
        PolicyFile.Policy governance = setup.get().policy();
        Files.createDirectories(data);
        Path journalFile = data.resolve("audit.jsonl");
        InstantSource clock = InstantSource.system();
        AuditJournal journal;
        try {
            journal = AuditJournal.open(journalFile, clock);
        } catch (AuditException e) {
            // fail closed: no durable journal, no agent (another agent may hold it, or its last record is torn)
            err.println("vigil run: cannot open the audit journal " + journalFile + ": " + e.getMessage());
            return 2;
        }
        PipelineOptions options = PipelineOptions.of(Engine.ClockKind.REALTIME, governance, "d-" + clock.millis() + "-");
        Pipeline pipeline = new Pipeline(loaded, options, journal, clock.millis());
        String host = hostname();
        Agent agent = new Agent(pipeline, journal, new HostProbe(proc, clock, host), Duration.ofSeconds(intervalSeconds),
                Duration.ofSeconds(30), out, clock);

        out.println("vigil: watching host " + host + " every " + intervalSeconds + "s");
        out.println("vigil: loaded " + loaded.summary());
        out.println("vigil: mode dry-run: decisions are journalled, no playbook acts");
        out.println("vigil: audit journal " + journalFile.toAbsolutePath());
        out.println("vigil: network receivers (OTLP, remote_write, Alertmanager) are not built yet: only the host probe feeds the engine");
        out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            agent.close();
            out.println("vigil: stopped; journal is durable");
            out.flush();
            stopped.countDown();
        }, "vigil-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        agent.start();
        if (durationSeconds != null) {
            if (!stopped.await(durationSeconds, TimeUnit.SECONDS)) {
                Runtime.getRuntime().removeShutdownHook(hook);
                hook.run();
            }
            return 0;
        }
        stopped.await();
        return 0;
    }

    private String hostname() {
        try {
            return String.join("", Files.readAllLines(proc.resolve("sys/kernel/hostname"))).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
