package dev.vigil.audit;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sink whose {@link #commitThen} runs on a thread of its own: the fsync, then what waited for it, in the order
 * asked. The engine thread appends a cycle's decisions, hands their commit here and goes on with the next cycle; an
 * fsync that stalls for a moment (a busy disk) no longer holds up every observation behind it. Nothing that waits
 * runs before its records are durable, and nothing runs at all when they could not be made so (the sink then refuses
 * every later record as well). Appends and plain {@link #commit()}s go straight to the wrapped sink. Thread-safe.
 */
public final class BackgroundCommits implements AuditSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundCommits.class);

    private final AuditSink sink;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vigil-journal-commit");
        t.setDaemon(true);
        return t;
    });

    public BackgroundCommits(AuditSink sink) {
        this.sink = sink;
    }

    @Override
    public AuditRecord append(String type, Map<String, ?> data) {
        return sink.append(type, data);
    }

    @Override
    public void commit() {
        sink.commit();
    }

    @Override
    public void commitThen(Runnable then) {
        try {
            // one thread, so later commits wait for earlier ones and their followers run in order; a commit finding
            // its records already covered by the previous fsync returns at once
            thread.execute(() -> commitAndRun(then));
        } catch (RejectedExecutionException closed) {
            sink.commitThen(then); // after close: on the caller's thread
        }
    }

    private void commitAndRun(Runnable then) {
        try {
            sink.commit();
        } catch (RuntimeException e) {
            LOG.error("audit records could not be made durable: what waited for them (acting on, telling of a decision) "
                    + "does not happen", e);
            return;
        }
        try {
            then.run();
        } catch (RuntimeException e) {
            LOG.error("after an audit commit: {}", e.toString(), e);
        }
    }

    /** Runs what is queued (commits and their followers), then stops the thread; waits up to 30 s. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("audit commits still queued after 30 s; what waited for them does not happen");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
