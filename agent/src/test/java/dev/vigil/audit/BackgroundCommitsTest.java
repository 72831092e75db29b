package dev.vigil.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BackgroundCommitsTest {
    private final AuditJournal journal = AuditJournal.inMemory(InstantSource.fixed(Instant.EPOCH));

    /** A sink whose fsync waits for the test to let it finish, as a stalled disk would. */
    private static final class StalledDisk implements AuditSink {
        final AuditSink inner;
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger commits = new AtomicInteger();
        volatile RuntimeException failure;

        StalledDisk(AuditSink inner) {
            this.inner = inner;
        }

        @Override
        public AuditRecord append(String type, Map<String, ?> data) {
            return inner.append(type, data);
        }

        @Override
        public void commit() {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
            commits.incrementAndGet();
            inner.commit();
        }
    }

    @Test
    void theCallerGoesOnWhileTheCommitStallsAndWhatWaitsRunsOnlyOnceItIsDurable() throws Exception {
        StalledDisk disk = new StalledDisk(journal);
        List<String> ran = new CopyOnWriteArrayList<>();
        try (BackgroundCommits commits = new BackgroundCommits(disk)) {
            commits.append("decision", Map.of("id", "d-1"));
            commits.commitThen(() -> ran.add("act on d-1 after " + disk.commits.get() + " commit(s)"));
            commits.append("decision", Map.of("id", "d-2"));
            commits.commitThen(() -> ran.add("act on d-2"));

            // the caller was not held up by the stalled fsync, and nothing acted meanwhile
            assertEquals(List.of(), ran);
            assertEquals(2, journal.lines().size(), "the records are appended at once");

            disk.release.countDown();
        }
        assertEquals(List.of("act on d-1 after 1 commit(s)", "act on d-2"), ran, "in order, each after its commit");
    }

    @Test
    void whenTheRecordsCannotBeMadeDurableNothingThatWaitedForThemRuns() {
        StalledDisk disk = new StalledDisk(journal);
        disk.failure = new AuditException("disk full");
        disk.release.countDown();
        List<String> ran = new CopyOnWriteArrayList<>();
        try (BackgroundCommits commits = new BackgroundCommits(disk)) {
            commits.append("decision", Map.of("id", "d-1"));
            commits.commitThen(() -> ran.add("act on d-1"));
        }
        assertEquals(List.of(), ran);
    }

    @Test
    void afterCloseTheCallersThreadCommitsAndRunsAndAFailureReachesIt() {
        StalledDisk disk = new StalledDisk(journal);
        disk.release.countDown();
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
