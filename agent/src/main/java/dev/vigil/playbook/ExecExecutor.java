package dev.vigil.playbook;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs {@code exec} steps: starts a pinned script from {@code playbooks/scripts/} with an argument vector (never a
 * shell), a scrubbed environment, and the step's timeout. Thread-safe.
 *
 * <p>Implementation notes:
 * <ul>
 *   <li>The script is resolved (symbolic links followed) and must stay inside the scripts directory; its SHA-256 is
 *       checked against the lock again right before it starts, so a script changed after load never runs.</li>
 *   <li>The environment holds only a fixed {@code PATH} and {@code LANG=C}; standard input is {@code /dev/null}; the
 *       working directory is the scripts directory.</li>
 *   <li>When {@code setsid} is there, the script leads a new process group. On timeout the whole group is killed
 *       (and every descendant still known, in case one left the group); so are processes a script left running in
 *       its group when it exits: nothing of a step outlives it.</li>
 *   <li>Standard output and error are drained on their own threads so a chatty script never blocks; at most
 *       {@link #CAPTURE_BYTES} of each are kept.</li>
 * </ul>
 */
public final class ExecExecutor implements StepExecutor {
    /** The whole environment a script sees besides {@code LANG}. */
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final int CAPTURE_BYTES = StepOutcome.OUTPUT_LIMIT - 256;
    private static final Pattern SCRIPT_NAME = Pattern.compile("^[a-z0-9][a-z0-9-]*$");
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(5);
    private static final Optional<Path> SETSID = firstExecutable("/usr/bin/setsid", "/bin/setsid");
    private static final Optional<Path> KILL = firstExecutable("/usr/bin/kill", "/bin/kill");

    private final Path contentRoot;
    private final Path scriptsDir;
    private final PlaybookLock pins;
    private final Set<String> localHosts;
    private final ExecutorService drains = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vigil-exec-drain");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param contentRoot the content directory on disk (holding {@code playbooks/scripts/})
     * @param pins        the lock the catalog was loaded against; a script runs only while it matches its pin
     * @param localHosts  the names of this host: a step whose {@code host} names another is refused (scripts run
     *                    here, never remotely)
     */
    public ExecExecutor(Path contentRoot, PlaybookLock pins, Set<String> localHosts) {
        this.contentRoot = contentRoot.toAbsolutePath().normalize();
        this.scriptsDir = this.contentRoot.resolve(PlaybookLock.SCRIPTS_FOLDER);
        this.pins = Objects.requireNonNull(pins, "pins");
        this.localHosts = Set.copyOf(localHosts);
    }

    @Override
    public Executor kind() {
        return Executor.EXEC;
    }

    @Override
    public StepOutcome run(Step step, int index, Map<String, String> values) {
        if (!(step.action() instanceof StepAction.Exec exec)) {
            throw new IllegalArgumentException("step " + step.name() + " is " + step.executor().wireName() + ", not exec");
        }
        for (String name : Templates.needed(step)) {
            if (!values.containsKey(name)) {
                return StepOutcome.refused("step " + step.name() + " needs parameter " + name + ", which has no value");
            }
        }
        Optional<String> host = exec.host().map(h -> Templates.render(h, values::get));
        if (host.isPresent() && !localHosts.contains(host.get())) {
            return StepOutcome.refused("scripts run only on this host " + localHosts + ", not on " + Quote.quote(host.get()));
        }
        Path script;
        try {
            script = resolve(exec.script());
        } catch (Refusal r) {
            return StepOutcome.refused(r.getMessage());
        }
        List<String> argv = new ArrayList<>();
        SETSID.ifPresent(s -> argv.add(s.toString()));
        argv.add(script.toString());
        for (String arg : exec.args()) {
            // an argument is a literal or exactly one template (checked at load): a value is never split or re-parsed
            String value = Templates.whole(arg).map(values::get).orElse(arg);
            if (value.indexOf('\0') >= 0) {
                return StepOutcome.refused("argument " + Quote.quote(value) + " holds a NUL character");
            }
            argv.add(value);
        }
        return start(argv, step.timeout());
    }

    /** The script's real path, inside the scripts directory, executable, and matching its pin. */
    private Path resolve(String name) throws Refusal {
        String relative = PlaybookLock.SCRIPTS_FOLDER + "/" + name;
        if (!SCRIPT_NAME.matcher(name).matches()) {
            throw new Refusal("script " + Quote.quote(name) + " is not a plain name in " + PlaybookLock.SCRIPTS_FOLDER + "/");
        }
        Path real;
        Path dir;
        try {
            dir = scriptsDir.toRealPath();
            real = scriptsDir.resolve(name).toRealPath();
        } catch (IOException e) {
            throw new Refusal("no such script " + relative + " in " + contentRoot);
        }
        if (!real.getParent().equals(dir)) {
            throw new Refusal("script " + relative + " resolves to " + real + ", outside " + dir + "/: refused");
        }
        if (!Files.isRegularFile(real) || !Files.isExecutable(real)) {
            throw new Refusal("script " + relative + " is not an executable file");
        }
        String pinned = pins.pin(relative).orElseThrow(() -> new Refusal("script " + relative + " is not pinned in "
                + PlaybookLock.FILE + ": refused"));
        String actual;
        try {
            actual = sha256(Files.readAllBytes(real));
        } catch (IOException e) {
            throw new Refusal("cannot read script " + relative + ": " + e.getMessage());
        }
        if (!actual.equals(pinned)) {
            throw new Refusal("script " + relative + " changed since it was pinned (SHA-256 " + actual.substring(0, 12)
                    + "…, pinned " + pinned.substring(0, 12) + "…): refused");
        }
        return real;
    }

    private StepOutcome start(List<String> argv, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(scriptsDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", PATH);
        env.put("LANG", "C");
        long t0 = System.nanoTime();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return StepOutcome.failed("", "cannot start " + argv.get(SETSID.isPresent() ? 1 : 0) + ": " + e.getMessage(),
                    0, false);
        }
        Future<String> out = drains.submit(() -> capture(process.getInputStream()));
        Future<String> err = drains.submit(() -> capture(process.getErrorStream()));
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killGroup(process);
            return StepOutcome.failed(collect(out), "interrupted; the script's process group was killed", elapsed(t0), true);
        }
        if (!finished) {
            killGroup(process);
            return StepOutcome.timedOut(collect(out) + collect(err), elapsed(t0));
        }
        // the script exited; what it left running in its group is killed (nothing of a step outlives it), which also
        // closes the pipes such a process would hold open
        boolean leftovers = killGroup(process);
        String stdout = collect(out);
        String stderr = collect(err);
        if (leftovers) {
            stdout += "\n[the script left processes running in its process group; they were killed]";
        }
        int exit = process.exitValue();
        return exit == 0 ? StepOutcome.succeeded(stdout, elapsed(t0))
                : StepOutcome.failed(stdout, "exit " + exit + (stderr.isEmpty() ? "" : ": " + stderr), elapsed(t0), false);
    }

    private static String collect(Future<String> f) {
        try {
            return f.get(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (ExecutionException | TimeoutException e) {
            f.cancel(true);
            return "";
        }
    }

    /**
     * Kills the script's process group (when it leads one) and every descendant still known; true when the group
     * still had processes to kill.
     */
    private static boolean killGroup(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        boolean killed = false;
        if (SETSID.isPresent() && KILL.isPresent()) {
            try {
                Process k = new ProcessBuilder(KILL.get().toString(), "-s", "KILL", "--", "-" + process.pid())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                killed = k.waitFor(5, TimeUnit.SECONDS) && k.exitValue() == 0;
            } catch (IOException e) {
                // fall through to killing the processes one by one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Process.destroy* also closes our ends of the pipes: only for a process still alive, or the output the drain
        // threads have not read yet is lost
        if (process.isAlive()) {
            process.toHandle().destroyForcibly();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        return killed || !descendants.isEmpty();
    }

    /** Reads a stream to its end, keeping at most {@link #CAPTURE_BYTES}; the rest is counted and dropped. */
    static String capture(InputStream in) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long dropped = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            int keep = Math.min(n, CAPTURE_BYTES - kept.size());
            kept.write(buf, 0, keep);
            dropped += n - keep;
        }
        String text = kept.toString(StandardCharsets.UTF_8);
        return dropped == 0 ? text : text + "\n[cut: " + dropped + " more bytes]";
    }

    private static long elapsed(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    private static Optional<Path> firstExecutable(String... candidates) {
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** A reason not to start the script. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }
}
