package dev.vigil.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Private temp directories for real servers: one per server, removed with everything in it when the server stops. */
public final class TempDirs {
    private TempDirs() {
    }

    public static Path create(String name) {
        try {
            return Files.createTempDirectory("vigil-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp directory for " + name, e);
        }
    }

    /** Best effort: a file that cannot be removed is left behind rather than hiding the test's own outcome. */
    public static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a server still writing while we walk: nothing more to do in a test
        }
    }
}
