package dev.vigil.cli;

import dev.vigil.audit.AuditException;
import dev.vigil.audit.AuditJournal;
import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.daemon.Daemon;
import dev.vigil.daemon.DaemonConfig;
import dev.vigil.daemon.LogFormat;
import dev.vigil.daemon.SignalReload;
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
 * {@code vigil run}: the daemon. With no configuration it listens on loopback, probes the local host, and decides in
 * dry-run, until SIGTERM or Ctrl-C. Command-line options win over the configuration file.
 */
@Command(name = "run", description = "Run the agent: take in telemetry (OTLP, remote_write, Alertmanager, scrapes, syslog, "
        + "log files, the local host), match the signatures, and decide. Dry-run unless the configuration says mode: execute.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ContentOption content;

    @Mixin
    PolicyOption policy;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (YAML; see deploy/config/vigil.yaml). Default: built-in defaults.")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Where the HTTP receivers listen (default: 127.0.0.1:9795).")
    String listen;

    @Option(names = "--data", paramLabel = "DIR", description = "Where the audit journal is written (default: ./vigil-data).")
    Path data;

    @Option(names = "--interval", paramLabel = "SECONDS", description = "Seconds between host probes (default: 15).")
    Integer intervalSeconds;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds (default: run until stopped).")
    Integer durationSeconds;

    @Option(names = "--proc", paramLabel = "DIR", hidden = true, description = "The proc filesystem to read (tests).")
    Path proc;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<DaemonConfig> loaded = configuration(err);
        if (loaded.isEmpty()) {
            return 2;
        }
        DaemonConfig cfg = loaded.get();
        LogFormat.apply(cfg.logFormat());
        if (content.directory == null && cfg.contentDir().isPresent()) {
            content.directory = cfg.contentDir().get();
        }
        if (policy.file == null && cfg.policyFile().isPresent()) {
            policy.file = cfg.policyFile().get();
        }
        Optional<Setup> setup = Setup.load(content, policy, err, "vigil run");
        if (setup.isEmpty()) {
            return 2;
        }
        Files.createDirectories(cfg.dataDir());
        Path journalFile = cfg.dataDir().resolve(AuditJournal.FILE_NAME);
        InstantSource clock = InstantSource.system();
        AuditJournal journal;
        try {
            journal = AuditJournal.open(journalFile, clock, cfg.audit());
        } catch (AuditException e) {
            // fail closed: no durable journal, no agent (another agent may hold it, or its last record was edited)
            err.println("vigil run: cannot open the audit journal " + journalFile + ": " + e.getMessage());
            return 2;
        }
        String host = hostname(cfg.hostProbe().proc());
        Daemon daemon;
        try {
            daemon = Daemon.start(cfg, setup.get().content(), setup.get().policy(), journal, out, clock, host);
        } catch (Daemon.StartException e) {
            err.println("vigil run: " + e.getMessage());
            return 2;
        }
        printBanner(out, cfg, daemon, setup.get(), host, journalFile);
        journal.recovered().ifPresent(r -> out.println("vigil: audit journal: " + r));
        if (SignalReload.install(daemon.reloader()) != null) {
            out.println("vigil: SIGHUP reloads rules, signatures and playbooks"
                    + (setup.get().content().source().isOnDisk() ? "; so does any change under " + setup.get().content().source().description() : ""));
            out.flush();
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            daemon.close();
            out.println("vigil: stopped; journal is durable");
            out.flush();
            stopped.countDown();
        }, "vigil-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
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

    /** The file (or the defaults) with the command line's overrides, or every error printed and empty. */
    private Optional<DaemonConfig> configuration(PrintWriter err) {
        DaemonConfig cfg;
        try {
            cfg = config == null ? DaemonConfig.defaults() : DaemonConfig.load(config);
        } catch (ContentException e) {
            for (ContentError error : e.errors()) {
                err.println("vigil run: " + error);
            }
            return Optional.empty();
        }
        if (listen != null) {
            int colon = listen.lastIndexOf(':');
            try {
                int port = Integer.parseInt(listen.substring(colon + 1));
                if (colon <= 0 || port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                cfg = cfg.withListen(new DaemonConfig.Listen(listen.substring(0, colon).replace("[", "").replace("]", ""), port));
            } catch (NumberFormatException e) {
                err.println("vigil run: --listen must be HOST:PORT (port 0-65535), was " + listen);
                return Optional.empty();
            }
        }
        if (intervalSeconds != null && intervalSeconds < 1) {
            err.println("vigil run: --interval must be at least 1 second, was " + intervalSeconds);
            return Optional.empty();
        }
        if (data != null || intervalSeconds != null || proc != null) {
            DaemonConfig.HostProbe p = cfg.hostProbe();
            cfg = new DaemonConfig(cfg.listen(), data != null ? data : cfg.dataDir(), cfg.policyFile(), cfg.contentDir(),
                    new DaemonConfig.HostProbe(p.enabled(), intervalSeconds != null ? Duration.ofSeconds(intervalSeconds) : p.interval(),
                            proc != null ? proc : p.proc()),
                    cfg.limits(), cfg.queueCapacity(), cfg.requestTimeout(), cfg.scrape(), cfg.syslog(), cfg.tail(),
                    cfg.topology(), cfg.learnedEdgeTtl(), cfg.tracingEndpoint(), cfg.logFormat(), cfg.statusInterval(), cfg.audit(),
                    cfg.execution(), cfg.approvals(), cfg.apiTokens(), cfg.forecast(), cfg.fleet(), cfg.executors(), cfg.apiTls(),
                    cfg.warmUp());
        }
        return Optional.of(cfg);
    }

    private static void printBanner(PrintWriter out, DaemonConfig cfg, Daemon daemon, Setup setup, String host, Path journalFile) {
        String base = (cfg.apiTls().isPresent() ? "https://" : "http://")
                + (cfg.listen().host().contains(":") ? "[" + cfg.listen().host() + "]" : cfg.listen().host()) + ":" + daemon.httpPort();
        out.println("vigil: listening on " + base + ": OTLP/HTTP /v1/metrics /v1/logs /v1/traces, remote_write /api/v1/write, "
                + "Alertmanager /api/v1/alerts, /metrics, /healthz, the governors' API /api/v1/ ("
                + (cfg.apiTokens().isEmpty() ? "no tokens configured: every API route answers 401" : cfg.apiTokens().size() + " tokens")
                + (cfg.apiTls().map(t -> "; TLS with " + t.certFile()).orElse("") + ")"));
        daemon.syslogPort().ifPresent(p -> out.println("vigil: syslog (RFC 5424/3164 over TCP) on " + cfg.syslog().get().host() + ":" + p));
        cfg.scrape().forEach(t -> out.println("vigil: scraping " + t.url() + " (job " + t.job() + ") every " + t.interval().toSeconds() + "s"));
        cfg.tail().forEach(t -> out.println("vigil: tailing " + t.path() + " (service " + t.service() + ")"));
        if (cfg.hostProbe().enabled()) {
            out.println("vigil: watching host " + host + " every " + cfg.hostProbe().interval().toSeconds() + "s");
        }
        if (!cfg.topology().services().isEmpty()) {
            out.println("vigil: topology: " + cfg.topology().services().size() + " services configured; more edges are learned from client spans");
        }
        out.println("vigil: loaded " + setup.content().summary());
        if (cfg.execution().executes()) {
            out.println("vigil: mode execute: execute decisions run their playbooks through the guards; kill switch: create "
                    + cfg.execution().runner().killSwitchFile().map(Object::toString).orElse("(no file)"));
        } else {
            out.println("vigil: mode dry-run: decisions are journalled, no playbook acts");
        }
        out.println("vigil: audit journal " + journalFile.toAbsolutePath() + ": " + cfg.audit().describe());
        out.flush();
    }

    private static String hostname(Path proc) {
        String fromEnv = System.getenv("VIGIL_HOST_NAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        try {
            return String.join("", Files.readAllLines(proc.resolve("sys/kernel/hostname"))).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
