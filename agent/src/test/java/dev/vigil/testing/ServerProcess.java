package dev.vigil.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A server process with its output in a log file: started, polled until ready, and stopped with its whole process tree
 * (a wrapper such as runuser and the server under it).
 */
final class ServerProcess implements RealServer.Stopper {
    /** Generous for a shared CI machine: each server here is ready in well under a second. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String name;
    private final Process process;
    private final Path log;
    private final Runnable beforeStop;

    private ServerProcess(String name, Process process, Path log, Runnable beforeStop) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.beforeStop = beforeStop;
    }

    /**
     * Starts the command in dir, with stdout and stderr in log (truncated first). beforeStop runs first when stopping,
     * for servers that stop best by their own tool (pg_ctl stop).
     */
    static ServerProcess start(String name, List<String> command, Path dir, Path log, Map<String, String> env,
            Runnable beforeStop) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new ServerProcess(name, pb.start(), log, beforeStop);
    }

    /** Polls until the probe passes; fails with the tail of the server's log if the server exits first or time runs out. */
    void awaitReady(Probe probe) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception lastError = null;
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with code " + process.exitValue() + " before it was ready ("
                        + probe + "); last lines of " + log + ":\n" + RealServer.tail(log, 40));
            }
            try {
                if (probe.check().ready()) {
                    return;
                }
            } catch (Exception e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " was not ready within " + READY_TIMEOUT.toSeconds() + " s (waiting for: "
                        + probe + (lastError == null ? "" : "; last error: " + lastError) + "); last lines of " + log + ":\n"
                        + RealServer.tail(log, 40));
            }
            sleep(POLL);
        }
    }

    boolean exitedEarly() {
        return !process.isAlive();
    }

    /**
     * SIGTERM to the server, SIGKILL to whatever of the tree is left after a bounded wait. A wrapper (runuser) is not
     * signalled while its child stops: it would forward the signal and then wait 2 s before exiting on its own.
     */
    @Override
    public void stop() {
        ProcessHandle root = process.toHandle();
        List<ProcessHandle> tree = Stream.concat(root.descendants(), Stream.of(root)).toList();
        try {
            beforeStop.run();
        } catch (RuntimeException | AssertionError e) {
            // the signals below still stop it
        }
        List<ProcessHandle> children = root.children().toList();
        children.forEach(ProcessHandle::destroy);
        if (children.isEmpty() || !awaitExit(List.of(root), STOP_TIMEOUT)) {
            root.destroy();
        }
        if (!awaitExit(tree, STOP_TIMEOUT)) {
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            awaitExit(tree, STOP_TIMEOUT);
        }
    }

    private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle p : processes) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                // cannot watch it: the final isAlive() filter decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a server", e);
        }
    }
}
