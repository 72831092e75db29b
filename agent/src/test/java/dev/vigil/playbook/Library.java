package dev.vigil.playbook;

import dev.vigil.content.ContentException;
import dev.vigil.content.ContentSource;
import java.nio.file.Path;

/** The repository's own playbooks ({@code vigil.repo}, set by Surefire), loaded once per test JVM. */
final class Library {
    private static PlaybookCatalog catalog;

    private Library() {
    }

    static Path repo() {
        String dir = System.getProperty("vigil.repo");
        if (dir == null) {
            throw new IllegalStateException("Surefire sets vigil.repo to the repository root");
        }
        return Path.of(dir);
    }

    static synchronized PlaybookCatalog catalog() throws ContentException {
        if (catalog == null) {
            catalog = PlaybookCatalog.load(ContentSource.directory(repo()));
        }
        return catalog;
    }

    static Playbook playbook(String id) throws ContentException {
        return catalog().get(id).orElseThrow(() -> new AssertionError("no playbook " + id));
    }
}
