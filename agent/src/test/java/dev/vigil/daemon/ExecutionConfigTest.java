package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code mode} and {@code execution} in the daemon configuration: dry-run unless asked, the runner's settings. */
class ExecutionConfigTest {
    private static DaemonConfig parse(String yaml) throws ContentException {
        return DaemonConfig.parse(new ContentFile("vigil.yaml", yaml));
    }

    @Test
    void noModeMeansDryRunWithTheKillSwitchFileInTheDataDirectory() throws Exception {
        DaemonConfig c = parse("data_dir: /var/lib/vigil\n");
        assertFalse(c.execution().executes());
        assertEquals("dry-run", c.execution().mode());
        assertEquals(Optional.of(Path.of("/var/lib/vigil/kill-switch")), c.execution().runner().killSwitchFile());
        assertFalse(c.execution().runner().killSwitch());
    }

    @Test
    void executeModeWithTheRunnersSettings() throws Exception {
        DaemonConfig c = parse("""
                mode: execute
                execution:
                  kill_switch: true
                  kill_switch_file: /run/vigil/STOP
                  workers: 3
                  max_concurrent: 2
                  circuit_failures: 5
                  blast_window: 2h
                  max_targets: 7
                  verify_every: 2s
                """);
        assertTrue(c.execution().executes());
        var r = c.execution().runner();
        assertTrue(r.killSwitch());
        assertEquals(Optional.of(Path.of("/run/vigil/STOP")), r.killSwitchFile());
        assertEquals(3, r.workers());
        assertEquals(2, r.maxConcurrent());
        assertEquals(5, r.circuitFailures());
        assertEquals(Duration.ofHours(2), r.blastWindow());
        assertEquals(7, r.maxTargets());
        assertEquals(Duration.ofSeconds(2), r.verifyEvery());
    }

    @Test
    void anUnknownModeIsRefusedWithItsLine() {
        ContentException e = assertThrows(ContentException.class, () -> parse("listen: {port: 1}\nmode: live\n"));
        assertTrue(e.getMessage().startsWith("vigil.yaml:2: mode"), e.getMessage());
    }
}
