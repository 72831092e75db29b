package dev.vigil.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.content.ContentSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exec executor starting real scripts: argv without a shell, scrubbed environment, pins, timeouts, process groups. */
class ExecExecutorTest {
    @TempDir
    Path root;

    private Path script(String name, String body) throws IOException {
        Path scripts = Files.createDirectories(root.resolve("playbooks/scripts"));
        Path p = Files.writeString(scripts.resolve(name), "#!/bin/sh\nset -eu\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private ExecExecutor executor() {
        return new ExecExecutor(root, PlaybookLock.compute(ContentSource.directory(root)), Set.of("this-host"));
    }

    private static Step step(String script, Duration timeout, String... args) {
        return new Step("run-" + script, timeout, When.ALWAYS, new StepAction.Exec(script, List.of(args), Optional.empty()));
    }

    /** Whether a process is running (a zombie waiting to be reaped counts as gone). */
    static boolean running(long pid) {
        if (ProcessHandle.of(pid).isEmpty()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    static void awaitGone(long pid) throws Exception {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isPresent()) {
            try {
                p.get().onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                // a killed process nobody reaps stays a zombie: checked below
            }
        }
        assertFalse(running(pid), "process " + pid + " is still running");
    }

    @Test
    @DisplayName("a hostile value is one argv element, and the script sees only PATH and LANG=C from us")
    void hostileValueIsOneArgumentAndTheEnvironmentIsScrubbed() throws Exception {
        script("show", "for a in \"$@\"; do printf '<%s>\\n' \"$a\"; done\nenv | sort\n");
        Step step = new Step("show", Duration.ofSeconds(10), When.ALWAYS,
                new StepAction.Exec("show", List.of("--dir", "{{dir}}"), Optional.empty()));
        String hostile = "/tmp/x; rm -rf / $(id) `id` ../../etc/passwd";
        StepOutcome o = executor().run(step, 0, Map.of("dir", hostile));
        assertTrue(o.succeeded(), o.toString());
        assertTrue(o.output().startsWith("<--dir>\n<" + hostile + ">\n"), o.output());
        assertTrue(o.output().contains("PATH=" + ExecExecutor.PATH + "\n"), o.output());
        assertTrue(o.output().contains("LANG=C\n"), o.output());
        for (String inherited : List.of("HOME=", "USER=", "JAVA_HOME=", "MAVEN", "CLASSPATH=")) {
            assertFalse(o.output().contains(inherited), inherited + " leaked: " + o.output());
        }
    }

    @Test
    void aNonZeroExitIsAFailureWithItsCodeAndStandardError() throws Exception {
        script("fail", "echo 'partial work'\necho 'cannot do it' >&2\nexit 3\n");
        StepOutcome o = executor().run(step("fail", Duration.ofSeconds(10)), 0, Map.of());
        assertEquals(StepOutcome.Status.FAILED, o.status());
        assertEquals("partial work\n", o.output());
        assertEquals("exit 3: cannot do it\n", o.error());
    }

    @Test
    @DisplayName("on timeout the whole process group is killed, the sleeping child too")
    void timeoutKillsTheProcessGroupIncludingAChild() throws Exception {
        Path pidFile = root.resolve("child.pid");
        script("hang", "sleep 300 &\necho $! > \"$1\"\necho started\nsleep 300\n");
        StepOutcome o = executor().run(step("hang", Duration.ofSeconds(1), pidFile.toString()), 0, Map.of());
        assertEquals(StepOutcome.Status.TIMED_OUT, o.status());
        assertTrue(o.retryable());
        assertTrue(o.output().contains("started"), o.output());
        awaitGone(Long.parseLong(Files.readString(pidFile).strip()));
    }

    @Test
    void aChildLeftRunningInTheBackgroundIsKilledWhenTheScriptExits() throws Exception {
        Path pidFile = root.resolve("child.pid");
        script("leave", "sleep 300 &\necho $! > \"$1\"\necho done\n");
        StepOutcome o = executor().run(step("leave", Duration.ofSeconds(20), pidFile.toString()), 0, Map.of());
        assertTrue(o.succeeded(), o.toString());
        assertTrue(o.output().contains("they were killed]"), o.output());
        awaitGone(Long.parseLong(Files.readString(pidFile).strip()));
    }

    @Test
    @DisplayName("a script that writes megabytes to both streams neither blocks nor floods the journal")
    void chattyScriptIsDrainedAndBounded() throws Exception {
        script("chatty", "yes 'standard output line' | head -c 5000000\nyes 'standard error line' | head -c 5000000 >&2\n");
        StepOutcome o = executor().run(step("chatty", Duration.ofSeconds(60)), 0, Map.of());
        assertTrue(o.succeeded(), o.status() + " " + o.error());
        assertTrue(o.output().length() <= StepOutcome.OUTPUT_LIMIT, "kept " + o.output().length());
        assertTrue(o.output().contains("[cut: "), o.output().substring(o.output().length() - 100));
    }

    @Test
    @DisplayName("a script path escaping playbooks/scripts/, by name or by symbolic link, is refused")
    void aScriptOutsideTheScriptsDirectoryIsRefused() throws Exception {
        script("legit", "echo ok\n");
        Path outside = Files.writeString(root.resolve("outside.sh"), "#!/bin/sh\ntouch \"$0.ran\"\n");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(root.resolve("playbooks/scripts/escape"), outside);
        ExecExecutor exec = executor();
        StepOutcome byName = exec.run(step("../outside.sh", Duration.ofSeconds(5)), 0, Map.of());
        assertEquals(StepOutcome.Status.REFUSED, byName.status());
        assertTrue(byName.error().contains("not a plain name"), byName.error());
        StepOutcome byLink = exec.run(step("escape", Duration.ofSeconds(5)), 0, Map.of());
        assertEquals(StepOutcome.Status.REFUSED, byLink.status());
        assertTrue(byLink.error().contains("outside " + root.resolve("playbooks/scripts").toRealPath()), byLink.error());
        assertFalse(Files.exists(root.resolve("outside.sh.ran")));
    }

    @Test
    @DisplayName("a script changed after it was pinned, or never pinned, does not run")
    void aScriptThatDoesNotMatchItsPinIsRefused() throws Exception {
        Path marker = root.resolve("ran");
        Path s = script("pinned", "touch \"$1\"\n");
        ExecExecutor exec = executor();
        Files.writeString(s, "#!/bin/sh\nset -eu\ntouch \"$1\"\necho tampered\n");
        StepOutcome changed = exec.run(step("pinned", Duration.ofSeconds(5), marker.toString()), 0, Map.of());
        assertEquals(StepOutcome.Status.REFUSED, changed.status());
        assertTrue(changed.error().contains("changed since it was pinned"), changed.error());
        script("later", "touch \"$1\"\n");
        StepOutcome unpinned = exec.run(step("later", Duration.ofSeconds(5), marker.toString()), 0, Map.of());
        assertEquals(StepOutcome.Status.REFUSED, unpinned.status());
        assertTrue(unpinned.error().contains("playbooks/scripts/later is not pinned"), unpinned.error());
        assertFalse(Files.exists(marker));
    }

    @Test
    void aStepForAnotherHostIsRefused() throws Exception {
        script("here", "echo here\n");
        Step step = new Step("here", Duration.ofSeconds(5), When.ALWAYS,
                new StepAction.Exec("here", List.of(), Optional.of("{{host}}")));
        assertEquals("here\n", executor().run(step, 0, Map.of("host", "this-host")).output());
        StepOutcome other = executor().run(step, 0, Map.of("host", "db-7"));
        assertEquals(StepOutcome.Status.REFUSED, other.status());
        assertTrue(other.error().contains("not on \"db-7\""), other.error());
    }
}
