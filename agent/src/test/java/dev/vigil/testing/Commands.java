package dev.vigil.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the short helper commands of the harness (initdb, pg_ctl, psql, logger, rsyslogd -N1) with a bounded wait. */
final class Commands {
    private Commands() {
    }

    /** What a command printed and how it exited; exit code -1 means it was killed at the timeout. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        String describe() {
            return String.join(" ", command) + (exitCode == -1 ? " timed out" : " exited with " + exitCode)
                    + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    static Result run(List<String> command, Path dir, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            // Files rather than pipes: no reader threads, and no deadlock when a command prints more than a pipe holds.
            out = Files.createTempFile("vigil-cmd-", ".out");
            err = Files.createTempFile("vigil-cmd-", ".err");
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            int code;
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                code = p.exitValue();
            } else {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                code = -1;
            }
            return new Result(command, code, Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Runs the command and returns its stdout; any other outcome fails the test with everything the command printed. */
    static String runOrFail(String what, List<String> command, Path dir, Duration timeout) {
        Result r = run(command, dir, timeout);
        if (!r.ok()) {
            throw new AssertionError(what + " failed: " + r.describe());
        }
        return r.stdout();
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            p.toFile().delete();
        }
    }
}
