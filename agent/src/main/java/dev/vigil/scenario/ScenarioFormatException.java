package dev.vigil.scenario;

import java.util.Objects;

/**
 * A scenario file that cannot be used, with the file and 1-based line of the first problem; its message reads
 * {@code FILE:LINE: what is wrong}. Immutable, so safe to share between threads.
 */
public final class ScenarioFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;

    ScenarioFormatException(String file, int line, String reason) {
        super(Objects.requireNonNull(file, "file") + ":" + line + ": " + Objects.requireNonNull(reason, "reason"));
        this.file = file;
        this.line = line;
    }

    /** The file as it was named to the reader. */
    public String file() {
        return file;
    }

    /** The 1-based line of the problem. */
    public int line() {
        return line;
    }
}
