package dev.vigil.cli;

import dev.vigil.content.ContentSource;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where rules, signatures and playbooks come from: {@code --content DIR}, else {@code $VIGIL_HOME}, else the current
 * directory when it holds a {@code rules/} folder, else the copy built into the jar.
 */
final class ContentOption {
    @Option(names = "--content", paramLabel = "DIR",
            description = "Directory holding rules/, signatures/ and playbooks/ (default: $VIGIL_HOME, the current directory, or the built-in content).")
    Path directory;

    ContentSource source() {
        if (directory != null) {
            if (!Files.isDirectory(directory.resolve("rules"))) {
                throw new IllegalArgumentException("--content " + directory + ": no rules/ folder there");
            }
            return ContentSource.directory(directory);
        }
        String home = System.getenv("VIGIL_HOME");
        if (home != null && !home.isBlank() && Files.isDirectory(Path.of(home, "rules"))) {
            return ContentSource.directory(Path.of(home));
        }
        return ContentSource.diskOrBuiltIn(Path.of("."));
    }
}
