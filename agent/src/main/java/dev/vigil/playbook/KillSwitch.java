package dev.vigil.playbook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The global stop: while engaged, no playbook starts and no further step of a running one is taken. Engaged from the
 * configuration, by a method (the API), or by a file flag that an operator can create with any tool; the file is
 * checked before every step. Thread-safe.
 */
public final class KillSwitch {
    private final Optional<Path> flagFile;
    private volatile String engagedBecause;

    /**
     * @param engaged  engaged from the start (configuration)
     * @param flagFile while this file exists the switch is engaged, whatever the methods say
     */
    public KillSwitch(boolean engaged, Optional<Path> flagFile) {
        this.flagFile = Objects.requireNonNull(flagFile, "flagFile");
        this.engagedBecause = engaged ? "engaged by the configuration (execution.kill_switch: true)" : null;
    }

    public void engage(String reason) {
        engagedBecause = Objects.requireNonNull(reason, "reason");
    }

    public void release() {
        engagedBecause = null;
    }

    /** Why execution is stopped, or empty when it may go on. Reads the file flag each time. */
    public Optional<String> engaged() {
        String because = engagedBecause;
        if (because != null) {
            return Optional.of("kill switch engaged: " + because);
        }
        if (flagFile.isPresent() && Files.exists(flagFile.get())) {
            return Optional.of("kill switch engaged: the file " + flagFile.get() + " exists");
        }
        return Optional.empty();
    }
}
