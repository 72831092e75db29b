package dev.vigil.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The binaries the Debian packages install for the real-server tests. Like {@link Repo#sharedOrSkip}: a missing binary
 * skips the test on a developer's machine, and fails it under CI=true, naming the binary and the apt package to install.
 */
public final class Binaries {
    public static final String PROMETHEUS = "/usr/bin/prometheus";
    public static final String ALERTMANAGER = "/usr/bin/prometheus-alertmanager";
    public static final String NODE_EXPORTER = "/usr/bin/prometheus-node-exporter";
    public static final String POSTGRES_EXPORTER = "/usr/bin/prometheus-postgres-exporter";
    public static final String RSYSLOGD = "/usr/sbin/rsyslogd";
    public static final String LOGGER = "/usr/bin/logger";
    public static final String PSQL = "/usr/bin/psql";
    private static final Path POSTGRES_VERSIONS = Path.of("/usr/lib/postgresql");

    private Binaries() {
    }

    /** The binary at path, or a skip (a failure under CI=true) telling to {@code apt-get install aptPackage}. */
    public static Path orSkip(String path, String aptPackage) {
        return find(path).orElseGet(() -> missing(path, aptPackage));
    }

    static Optional<Path> find(String path) {
        return Optional.of(Path.of(path)).filter(Files::isExecutable);
    }

    /**
     * The bin directory of the newest PostgreSQL server installed from Debian packages
     * (/usr/lib/postgresql/VERSION/bin, holding initdb, pg_ctl, postgres and pg_isready).
     */
    public static Path postgresBinDirOrSkip() {
        return newestPostgresBinDir().orElseGet(() -> missing(POSTGRES_VERSIONS + "/<version>/bin/postgres", "postgresql"));
    }

    private static Optional<Path> newestPostgresBinDir() {
        if (!Files.isDirectory(POSTGRES_VERSIONS)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(POSTGRES_VERSIONS)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .map(v -> v.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparingInt(bin -> Integer.parseInt(bin.getParent().getFileName().toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T missing(String path, String aptPackage) {
        return missing(path, aptPackage, "true".equals(System.getenv("CI")));
    }

    /** Never returns: fails under CI, aborts (skips) the test elsewhere. */
    static <T> T missing(String path, String aptPackage, boolean ci) {
        String msg = path + " is not installed (apt-get install " + aptPackage + ")";
        if (ci) {
            return fail(msg + ": CI=true needs the real server, and .ci/run installs it");
        }
        return Assumptions.abort(msg + ": real-server test skipped outside CI");
    }
}
