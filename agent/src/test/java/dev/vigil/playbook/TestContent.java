package dev.vigil.playbook;

import dev.vigil.content.ContentException;
import dev.vigil.content.ContentSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A throwaway content directory with a {@code playbooks/} folder and its scripts, for tests. */
final class TestContent {
    /** A valid low-risk playbook named {@code broken.yaml}; tests break one line at a time. Line numbers matter. */
    static final String BASE = """
            id: broken
            title: A test playbook
            description: For error messages.
            risk: low
            parameters:
              host: {type: hostname, from: target.host}
              mountpoint: {type: path, roots: [/var/log], from: target.mountpoint}
            steps:
              - name: compress
                executor: exec
                timeout: 10s
                script: rotate-logs
                args: ["--root", "{{mountpoint}}"]
            verification:
              within: 5m
              all:
                - metric: node_filesystem_avail_bytes
                  match: {host: "{{host}}", mountpoint: "{{mountpoint}}"}
                  op: ">"
                  value: 0
            limits:
              cooldown: 30m
              max_runs_per_hour: 2
              max_concurrent: 1
              blast_radius: {max_instances: 1}
            """;

    private final Path root;

    TestContent(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("playbooks/scripts"));
            Files.writeString(root.resolve("playbooks/scripts/rotate-logs"), "#!/bin/sh\nset -eu\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestContent file(String name, String text) {
        try {
            Files.writeString(root.resolve("playbooks").resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    ContentSource source() {
        return ContentSource.directory(root);
    }

    /** Pins the files as they are (these tests are about the playbooks, not the lock), then loads them. */
    PlaybookCatalog load() throws ContentException {
        pin();
        return PlaybookCatalog.load(source());
    }

    /** Writes {@code playbooks/playbooks.lock} for the files as they are now. */
    TestContent pin() {
        try {
            Files.writeString(root.resolve(PlaybookLock.FILE), PlaybookLock.compute(source()).render());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Path root() {
        return root;
    }

    /** Loads and returns the one playbook of the given id. */
    Playbook playbook(String id) throws ContentException {
        return load().get(id).orElseThrow();
    }

    /** Every error, as printed. */
    List<String> errors() {
        try {
            load();
            throw new AssertionError("expected the content to be refused");
        } catch (ContentException e) {
            return e.errors().stream().map(Object::toString).toList();
        }
    }

    /** {@link #BASE} with one literal piece replaced (which must be there). */
    static String base(String from, String to) {
        if (!BASE.contains(from)) {
            throw new IllegalArgumentException("not in the base playbook: " + from);
        }
        return BASE.replace(from, to);
    }
}
