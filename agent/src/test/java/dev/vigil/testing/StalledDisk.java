package dev.vigil.testing;

import dev.vigil.audit.AuditJournal;
import dev.vigil.audit.AuditRecord;
import dev.vigil.audit.AuditSink;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An audit sink over a journal in memory whose fsync waits until the test {@link #release}s it, as a stalled disk
 * would, and then fails if the test set {@link #failure}. It records which record types each commit made durable.
 */
public final class StalledDisk implements AuditSink {
    public final AuditJournal journal = AuditJournal.inMemory(InstantSource.fixed(Instant.EPOCH));
    public final AtomicInteger commits = new AtomicInteger();
    public volatile RuntimeException failure;
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<String> appended = new ArrayList<>();
    private List<String> durable = List.of();

    @Override
    public synchronized AuditRecord append(String type, Map<String, ?> data) {
        appended.add(type);
        return journal.append(type, data);
    }

    @Override
    public void commit() {
        try {
            released.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        synchronized (this) {
            journal.commit();
            durable = List.copyOf(appended);
        }
        commits.incrementAndGet();
    }

    /** Lets every commit, waiting or to come, through. */
    public void release() {
        released.countDown();
    }

    /** The types of the records the last commit made durable, in order. */
    public synchronized List<String> durableTypes() {
        return durable;
    }
}
