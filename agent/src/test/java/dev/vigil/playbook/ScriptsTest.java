package dev.vigil.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scripts exec steps start, run for real (as argv, no shell in between) on a throwaway directory. */
class ScriptsTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(String script, String... args) throws IOException, InterruptedException {
        return run(Map.of(), script, args);
    }

    static Run run(Map<String, String> env, String script, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(Library.repo().resolve("playbooks/scripts").resolve(script).toString());
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script + " did not finish");
        }
        return new Run(p.exitValue(), out, err);
    }

    /** Moves a file's modification time back, relative to its own (no wall clock in tests). */
    static void age(Path f, long minutes) throws IOException {
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() - minutes * 60_000));
    }

    @Test
    void rotateLogs_compressesOldLogsOnly_andKeepsAHostileDirectoryNameOneArgument() throws Exception {
        Path root = Files.createDirectories(dir.resolve("logs; touch pwned"));
        Path old = Files.writeString(root.resolve("app.log.1"), "old lines\n");
        Path stale = Files.writeString(root.resolve("stale.log"), "stale lines\n");
        Path live = Files.writeString(root.resolve("app.log"), "live lines\n");
        Path other = Files.writeString(root.resolve("notes.txt"), "not a log\n");
        age(old, 120);
        age(stale, 120);
        age(other, 120);
        Run r = run("rotate-logs", "--root", root.toString(), "--older-than-minutes", "60", "--allow-root", dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(root.resolve("app.log.1.gz")) && Files.notExists(old));
        assertTrue(Files.exists(root.resolve("stale.log.gz")) && Files.notExists(stale));
        assertEquals("live lines\n", Files.readString(live));
        assertEquals("not a log\n", Files.readString(other));
        assertTrue(r.out().contains("compressed " + root.resolve("stale.log")), r.out());
        assertFalse(Files.exists(Path.of("pwned")) || Files.exists(dir.resolve("pwned")));
    }

    @Test
    void rotateLogs_refusesARootOutsideTheAllowedOnes_evenThroughASymlink() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path link = Files.createSymbolicLink(allowed.resolve("escape"), outside);
        Path victim = Files.writeString(outside.resolve("victim.log"), "x\n");
        age(victim, 120);
        Run r = run("rotate-logs", "--root", link.toString(), "--older-than-minutes", "60", "--allow-root",
                allowed.toString());
        assertEquals(2, r.exit());
        assertEquals("rotate-logs: refusing " + outside.toRealPath() + ": not under an allowed root\n", r.err());
        assertTrue(Files.exists(victim));
    }

    @Test
    void rotateLogs_parsesItsArgumentsStrictly() throws Exception {
        assertEquals("rotate-logs: --older-than-minutes must be a number\n",
                run("rotate-logs", "--root", dir.toString(), "--older-than-minutes", "60;reboot", "--allow-root",
                        dir.toString()).err());
        assertEquals("rotate-logs: unknown argument: --force\n", run("rotate-logs", "--force", "yes").err());
        assertEquals("rotate-logs: missing value for --root\n", run("rotate-logs", "--root").err());
    }

    @Test
    void cleanTmp_deletesOldRegularFilesOnly() throws Exception {
        Path root = Files.createDirectories(dir.resolve("tmp"));
        Path old = Files.writeString(root.resolve("old"), "x");
        Path recent = Files.writeString(root.resolve("recent"), "x");
        Path oldDir = Files.createDirectories(root.resolve("olddir"));
        age(old, 10 * 24 * 60);
        age(oldDir, 10 * 24 * 60);
        Run r = run("clean-tmp", "--root", root.toString(), "--older-than-days", "7", "--allow-root", root.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.notExists(old));
        assertTrue(Files.exists(recent) && Files.isDirectory(oldDir));
        assertTrue(r.out().contains("deleted " + old), r.out());
    }

    @Test
    void systemdRestart_refusesUnitNamesOutsideItsPattern() throws Exception {
        for (String unit : List.of("a;reboot", "-H", "../x", "nginx service", "$(id)")) {
            Run r = run("systemd-restart", "--unit", unit);
            assertEquals(2, r.exit(), unit);
            assertEquals("systemd-restart: refusing unit name: " + unit + "\n", r.err());
        }
    }

    @Test
    void deployRollback_runsOnlyAConfiguredCommandThatNobodyElseCanWrite() throws Exception {
        Path configured = Files.createDirectories(dir.resolve("deploy-rollback.d"));
        Path command = Files.writeString(configured.resolve("payments"), "#!/bin/sh\necho \"rolled back from $1\"\n");
        Map<String, String> env = Map.of("VIGIL_DEPLOY_ROLLBACK_DIR", configured.toString());
        Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals("deploy-rollback: " + command + " is writable by group or others\n",
                run(env, "deploy-rollback", "--service", "payments", "--from-version", "2.3.1").err());
        assertEquals("deploy-rollback: no rollback command configured for shipping (" + configured.resolve("shipping")
                + ")\n", run(env, "deploy-rollback", "--service", "shipping", "--from-version", "1.0").err());
        assertEquals("deploy-rollback: refusing service name: ../payments\n",
                run(env, "deploy-rollback", "--service", "../payments", "--from-version", "1.0").err());
        Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run r = run(env, "deploy-rollback", "--service", "payments", "--from-version", "2.3.1");
        if (Files.getAttribute(command, "unix:uid").equals(0)) {
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("rolled back from 2.3.1\n"), r.out());
        } else {
            assertEquals("deploy-rollback: " + command + " is not owned by root\n", r.err());
        }
    }

    @Test
    void renewCertificateAndRedis_refuseBadArguments() throws Exception {
        assertEquals("renew-certificate: refusing certificate name: $(reboot)\n",
                run("renew-certificate", "--instance", "https://$(reboot)").err());
        assertEquals("redis-maxmemory: --increase-percent must be within 1 and 50\n",
                run("redis-maxmemory", "--port", "6379", "--increase-percent", "400", "--max-mb", "1024").err());
        assertEquals("heap-dump: refusing /etc: not under an allowed root\n",
                run("heap-dump", "--unit", "app", "--dir", "/etc", "--allow-root", "/var/tmp/vigil-heapdumps").err());
    }
}
