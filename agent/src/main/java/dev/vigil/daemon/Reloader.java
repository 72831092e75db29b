package dev.vigil.daemon;

import dev.vigil.audit.AuditSink;
import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads rules, signatures and playbooks while the agent runs; the one place a file watch, SIGHUP and the API ask
 * for it. Thread-safe: reloads run one at a time, on the caller's thread (or the reload thread for
 * {@link #reloadAsync}), never on the engine thread.
 *
 * <p>Implementation note: the new content is loaded, compiled and cross-checked first, off the engine thread; any
 * error rejects it whole and the old content keeps running. Only then does the engine thread, between two cycles,
 * journal the reload (durably: no record, no swap) and swap the content in (see {@link Pipeline#swapContent}).
 * Observations keep queueing meanwhile; none is lost.
 */
public final class Reloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

    /** Runs work on the engine thread between cycles and returns its answer (bound to {@link EngineLoop#query}). */
    public interface EngineThread {
        ReloadResult.Applied run(Function<Pipeline, ReloadResult.Applied> work);
    }

    private final ContentSource source;
    private final EngineThread engine;
    private final AuditSink audit;
    private final ExecutorService async = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vigil-reload");
        t.setDaemon(true);
        return t;
    });
    private final List<Consumer<ReloadResult>> listeners = new CopyOnWriteArrayList<>();
    private Content current; // guarded by this

    public Reloader(Content running, EngineThread engine, AuditSink audit) {
        this.source = running.source();
        this.current = running;
        this.engine = engine;
        this.audit = audit;
    }

    /**
     * Loads the content again from where it came from and, when it is valid and differs, puts it in place.
     *
     * @param who who asked ({@code file watch}, {@code SIGHUP}, the API caller), journalled with the result
     */
    public synchronized ReloadResult reload(String who) {
        if (who == null || who.isBlank()) {
            throw new IllegalArgumentException("a reload needs to say who asked for it, was " + (who == null ? "null" : "\"" + who + "\""));
        }
        long start = System.nanoTime();
        Content next;
        try {
            next = Content.reload(source, current);
        } catch (ContentException e) {
            return rejected(who, e.errors());
        } catch (UncheckedIOException e) {
            return rejected(who, List.of(new ContentError(source.description(), 0, "", "cannot read: " + e.getCause().getMessage())));
        }
        long compileMillis = (System.nanoTime() - start) / 1_000_000;
        ContentDiff diff = ContentDiff.between(current.fileHashes(), next.fileHashes());
        if (diff.isEmpty()) {
            return publish(new ReloadResult.Unchanged(who, compileMillis));
        }
        ReloadResult.Applied applied = engine.run(pipeline -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("who", who);
            data.put("outcome", "applied");
            data.putAll(diff.toRecord());
            data.put("content", next.summary());
            data.put("compile_ms", compileMillis);
            data.put("drl_packages_compiled", next.rules().packagesCompiled()); // the others were unchanged, so reused
            audit.append("content.reload", data);
            audit.commit(); // fail closed: a reload nobody can trace does not happen
            long swapStart = System.nanoTime();
            SwapOutcome swapped = pipeline.swapContent(next);
            return new ReloadResult.Applied(who, diff, next.summary(), compileMillis,
                    (System.nanoTime() - swapStart) / 1_000_000, swapped);
        });
        current = next;
        return publish(applied);
    }

    /** {@link #reload} on the reload thread: for the file watch and the signal handler, which must not block. */
    public CompletableFuture<ReloadResult> reloadAsync(String who) {
        return CompletableFuture.supplyAsync(() -> reload(who), async).whenComplete((r, e) -> {
            if (e != null) {
                LOG.error("content reload asked by {} failed; the previous content keeps running", who, e);
            }
        });
    }

    /**
     * Promotes a signature out of shadow: moves {@code signatures/shadow/ID.yaml} over {@code signatures/ID.yaml}
     * and reloads. When the reload is rejected the files are put back as they were.
     *
     * @throws IllegalArgumentException when there is no such signature in shadow
     * @throws IllegalStateException    when the content is not on disk (the built-in content cannot change)
     */
    public synchronized ReloadResult promote(String signatureId, String who) throws IOException {
        Promotion promotion = Promotion.of(source.directory().orElseThrow(() -> new IllegalStateException(
                "the built-in content cannot be changed: run the daemon with --content DIR to promote " + signatureId)), signatureId);
        promotion.apply();
        ReloadResult r = reload(who + " (promote " + signatureId + ")");
        if (r instanceof ReloadResult.Rejected) {
            promotion.undo();
        }
        return r;
    }

    /** Calls {@code listener} with every result, on the thread that reloaded (logging, tests). */
    public void onResult(Consumer<ReloadResult> listener) {
        listeners.add(listener);
    }

    /** The content in use now. */
    public synchronized Content current() {
        return current;
    }

    private ReloadResult rejected(String who, List<ContentError> errors) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("who", who);
        data.put("outcome", "rejected");
        data.put("errors", errors.stream().map(ContentError::toString).toList());
        audit.append("content.reload", data);
        audit.commit();
        return publish(new ReloadResult.Rejected(who, errors));
    }

    private ReloadResult publish(ReloadResult r) {
        if (r instanceof ReloadResult.Rejected) {
            LOG.warn("{}", r.describe());
        } else {
            LOG.info("{}", r.describe());
        }
        for (Consumer<ReloadResult> l : listeners) {
            l.accept(r);
        }
        return r;
    }

    @Override
    public void close() {
        async.shutdownNow();
    }
}
