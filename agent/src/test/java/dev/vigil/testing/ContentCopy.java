package dev.vigil.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A writable copy of the repository's content (rules, signatures, playbooks) that a test edits. */
public final class ContentCopy {
    private ContentCopy() {
    }

    /** Copies {@code rules/}, {@code signatures/*.yaml} and {@code playbooks/} (with scripts and lock) into {@code dir}. */
    public static Path of(Path dir) throws IOException {
        Path repo = Repo.root();
        copyTree(repo.resolve("rules"), dir.resolve("rules"));
        copyTree(repo.resolve("playbooks"), dir.resolve("playbooks"));
        Files.createDirectories(dir.resolve("signatures"));
        try (Stream<Path> s = Files.list(repo.resolve("signatures"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Files.copy(p, dir.resolve("signatures").resolve(p.getFileName()));
            }
        }
        return dir;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                    target.toFile().setExecutable(p.toFile().canExecute());
                }
            }
        }
    }

    /** Replaces the first {@code old} in a content file with {@code replacement}; fails when it is not there. */
    public static void edit(Path dir, String file, String old, String replacement) {
        try {
            Path p = dir.resolve(file);
            String text = Files.readString(p, StandardCharsets.UTF_8);
            if (!text.contains(old)) {
                throw new IllegalArgumentException(file + " does not contain " + old);
            }
            Files.writeString(p, text.replace(old, replacement), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
