package dev.vigil.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Where the repository and the shared design folder are, for tests that read real content and recordings. */
public final class Repo {
    private Repo() {
    }

    /** The repository root (Surefire sets vigil.repo; from an IDE, the working directory's parents are searched). */
    public static Path root() {
        String prop = System.getProperty("vigil.repo");
        if (prop != null) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("rules"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (no rules/ folder above " + Path.of("").toAbsolutePath() + ")");
        }
        return p;
    }

    /**
     * The shared folder beside the checkout ({@code ../shared}). It exists on developers' machines and in CI, not in a
     * user's clone: a test that needs it is skipped when it is absent, except under CI=true, where it fails.
     */
    public static Path sharedOrSkip(String sub) {
        Optional<Path> found = Optional.of(root().resolveSibling("shared").resolve(sub)).filter(Files::isDirectory);
        if (found.isEmpty()) {
            String msg = "../shared/" + sub + " is not present next to the checkout " + root();
            if ("true".equals(System.getenv("CI"))) {
                fail(msg + " (CI=true: the shared recordings must be there)");
            }
            Assumptions.abort(msg + ": skipped outside CI");
        }
        return found.get();
    }
}
