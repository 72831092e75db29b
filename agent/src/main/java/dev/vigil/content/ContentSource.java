package dev.vigil.content;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where rules, signatures and playbooks come from: a directory on disk that holds {@code rules/},
 * {@code signatures/} and {@code playbooks/}, or the copy built into the jar. Thread-safe.
 */
public final class ContentSource {
    private static final String BUILT_IN_ROOT = "vigil";

    private final Path root;
    private final String description;

    private ContentSource(Path root, String description) {
        this.root = root;
        this.description = description;
    }

    /** Content from a directory on disk. */
    public static ContentSource directory(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("content directory does not exist: " + root);
        }
        return new ContentSource(root, root.toAbsolutePath().normalize().toString());
    }

    /** The content built into Vigil's jar. */
    public static ContentSource builtIn() {
        URL url = ContentSource.class.getClassLoader().getResource(BUILT_IN_ROOT + "/rules");
        if (url == null) {
            throw new IllegalStateException("the built-in content is missing from the classpath (vigil/rules)");
        }
        try {
            URI uri = url.toURI();
            Path rules;
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                rules = fs.provider().getPath(uri);
            } else {
                rules = Path.of(uri);
            }
            return new ContentSource(rules.getParent(), "built-in");
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot open the built-in content at " + url, e);
        }
    }

    /** The directory when it holds a {@code rules/} folder, else the built-in content. */
    public static ContentSource diskOrBuiltIn(Path directory) {
        if (directory != null && Files.isDirectory(directory.resolve("rules"))) {
            return directory(directory);
        }
        return builtIn();
    }

    /** The files of one folder ({@code rules}, {@code signatures}, …) with the given extension, sorted by name. */
    public List<ContentFile> files(String folder, String extension) {
        return files(folder, extension, 1);
    }

    /**
     * The files of a folder and of every folder below it with the given extension, sorted by their path in the folder
     * (the signatures' scenarios: {@code signatures/scenarios/disk-full/acts-….jsonl}).
     */
    public List<ContentFile> tree(String folder, String extension) {
        return files(folder, extension, Integer.MAX_VALUE);
    }

    private List<ContentFile> files(String folder, String extension, int depth) {
        Path dir = root.resolve(folder);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ContentFile> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir, depth)) {
            for (Path p : s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(extension))
                    .sorted((a, b) -> dir.relativize(a).toString().compareTo(dir.relativize(b).toString()))
                    .toList()) {
                out.add(new ContentFile(folder + "/" + dir.relativize(p), Files.readString(p, StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return out;
    }

    /** True when a file exists at a path relative to the content root ({@code playbooks/scripts/rotate-logs}). */
    public boolean exists(String relativePath) {
        return Files.isRegularFile(root.resolve(relativePath));
    }

    /** Reads a file relative to the content root. */
    public ContentFile read(String relativePath) {
        try {
            return new ContentFile(relativePath, Files.readString(root.resolve(relativePath), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relativePath + " from " + description, e);
        }
    }

    /** "built-in" or the absolute directory. */
    public String description() {
        return description;
    }

    /** Whether the content comes from a directory given by the user (not the built-in content). */
    public boolean isOnDisk() {
        return !"built-in".equals(description);
    }

    /**
     * The content root on disk (what a reload watches, a promotion edits and {@code exec} starts scripts from); empty
     * for the built-in content.
     */
    public java.util.Optional<Path> directory() {
        return isOnDisk() && root.getFileSystem() == FileSystems.getDefault()
                ? java.util.Optional.of(root.toAbsolutePath().normalize()) : java.util.Optional.empty();
    }
}
