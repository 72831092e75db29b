package dev.vigil.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The recorded incidents in {@code ../shared/scenarios} must read unchanged. */
class SharedScenariosTest {

    /**
     * {@code ../shared/scenarios} from the repository root: {@code vigil.repo} when set, else the first directory of
     * the current directory's parent chain (itself included) that has one.
     */
    static Optional<Path> locate(String repoProperty, Path cwd) {
        if (repoProperty != null && !repoProperty.isBlank()) {
            Path dir = Path.of(repoProperty).toAbsolutePath().resolve("../shared/scenarios").normalize();
            return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        }
        for (Path p = cwd.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            Path dir = p.resolve("../shared/scenarios").normalize();
            if (Files.isDirectory(dir)) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** The directory, or a skipped test when it is absent; on CI ({@code CI=true}) its absence fails instead. */
    static Path requireOrSkip(Optional<Path> dir, String ci, String where) {
        if (dir.isPresent()) {
            return dir.get();
        }
        String why = "no ../shared/scenarios directory found from " + where;
        if ("true".equals(ci)) {
            fail(why + "; on CI (CI=true) the shared scenarios must be present");
        }
        Assumptions.abort(why + "; skipping the shared scenarios");
        throw new AssertionError("unreachable");
    }

    @TestFactory
    Stream<DynamicTest> everySharedScenarioReadsWithoutError() throws IOException {
        String repo = System.getProperty("vigil.repo");
        Path cwd = Path.of("").toAbsolutePath();
        Path dir = requireOrSkip(locate(repo, cwd), System.getenv("CI"),
                repo != null ? "vigil.repo=" + repo : "the parent chain of " + cwd);
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no .jsonl file in " + dir);
        return files.stream().map(file -> dynamicTest(file.getFileName() + " reads without error", () -> {
            Scenario s = ScenarioReader.read(file);
            List<String> lines = Files.readAllLines(file);

            assertFalse(s.observations().isEmpty(), "observations");
            long previous = s.start().toEpochMilli();
            for (Observation o : s.observations()) {
                assertTrue(o.telemetry().timeMillis() >= previous, "times never go back: " + o);
                previous = o.telemetry().timeMillis();
            }
            for (Expectation e : s.expectations()) {
                assertTrue(lines.get(e.line() - 1).contains("\"expect\""), "line " + e.line() + " is an expect line");
            }
            assertEquals(lines.stream().filter(l -> l.contains("\"expect\"")).count(), s.expectations().size());
        }));
    }

    @Test
    void directoryIsFoundFromVigilRepo(@TempDir Path root) throws IOException {
        Path repo = Files.createDirectories(root.resolve("main"));
        Path scenarios = Files.createDirectories(root.resolve("shared/scenarios"));

        assertEquals(Optional.of(scenarios), locate(repo.toString(), Path.of("/nowhere")));
        assertEquals(Optional.empty(), locate(root.resolve("a/b").toString(), repo.resolve("agent")));
    }

    @Test
    void withoutVigilRepoTheParentChainOfTheCurrentDirectoryIsSearched(@TempDir Path root) throws IOException {
        Path agent = Files.createDirectories(root.resolve("main/agent"));
        Path scenarios = Files.createDirectories(root.resolve("shared/scenarios"));

        assertEquals(Optional.of(scenarios), locate(null, agent));
        assertEquals(Optional.empty(), locate(null, root.getRoot()));
    }

    @Test
    void missingDirectorySkipsOutsideCi() {
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> requireOrSkip(Optional.empty(), null, "vigil.repo=/x"));
        assertTrue(skipped.getMessage().contains("no ../shared/scenarios directory found from vigil.repo=/x"),
                skipped.getMessage());
        assertThrows(TestAbortedException.class, () -> requireOrSkip(Optional.empty(), "false", "here"));
    }

    @Test
    void missingDirectoryFailsOnCi() {
        AssertionFailedError failed = assertThrows(AssertionFailedError.class,
                () -> requireOrSkip(Optional.empty(), "true", "vigil.repo=/x"));
        assertEquals("no ../shared/scenarios directory found from vigil.repo=/x; on CI (CI=true) the shared scenarios"
                + " must be present", failed.getMessage());
    }
}
