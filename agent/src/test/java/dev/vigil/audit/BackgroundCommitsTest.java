package dev.vigil.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.testing.StalledDisk;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BackgroundCommitsTest {

    @Test
    void theCallerGoesOnWhileTheCommitStallsAndWhatWaitsRunsOnlyOnceItIsDurable() throws Exception {
        StalledDisk disk = new StalledDisk();
        List<String> ran = new CopyOnWriteArrayList<>();
        try (BackgroundCommits commits = new BackgroundCommits(disk)) {
            commits.append("decision", Map.of("id", "d-1"));
            commits.commitThen(() -> ran.add("act on d-1 after " + disk.commits.get() + " commit(s)"));
            commits.append("decision", Map.of("id", "d-2"));
            commits.commitThen(() -> ran.add("act on d-2"));

            // the caller was not held up by the stalled fsync, and nothing acted meanwhile
            assertEquals(List.of(), ran);
            assertEquals(2, disk.journal.lines().size(), "the records are appended at once");

            disk.release();
        }
        assertEquals(List.of("act on d-1 after 1 commit(s)", "act on d-2"), ran, "in order, each after its commit");
    }

    @Test
    void whenTheRecordsCannotBeMadeDurableNothingThatWaitedForThemRuns() {
        StalledDisk disk = new StalledDisk();
        disk.failure = new AuditException("disk full");
        disk.release();
        List<String> ran = new CopyOnWriteArrayList<>();
        try (BackgroundCommits commits = new BackgroundCommits(disk)) {
            commits.append("decision", Map.of("id", "d-1"));
            commits.commitThen(() -> ran.add("act on d-1"));
        }
        assertEquals(List.of(), ran);
    }

    @Test
    void afterCloseTheCallersThreadCommitsAndRunsAndAFailureReachesIt() {
        StalledDisk disk = new StalledDisk();
        disk.release();
        BackgroundCommits commits = new BackgroundCommits(disk);
        commits.close();
        List<String> ran = new CopyOnWriteArrayList<>();
        commits.commitThen(() -> ran.add("ran"));
        assertEquals(List.of("ran"), ran);
        assertEquals(1, disk.commits.get());

        disk.failure = new AuditException("disk gone");
        assertThrows(AuditException.class, () -> commits.commitThen(() -> ran.add("must not run")));
        assertEquals(List.of("ran"), ran);
    }
}
