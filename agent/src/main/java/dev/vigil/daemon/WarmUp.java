package dev.vigil.daemon;

import dev.vigil.content.ContentFile;
import dev.vigil.engine.Engine;
import dev.vigil.scenario.ScenarioFormatException;
import dev.vigil.scenario.ScenarioReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the content's own scenarios ({@code signatures/scenarios}) through a scratch pipeline, on a thread of its
 * own, after a start and after each reload: the first real decision then runs on warm code. In the ingest bench the
 * first decision of a run took 0.3–1 s (the rules' constraints evaluated for the first time, the scorer, gate, binder
 * and journal code still interpreted) and the next ones ~10 ms; with this, the first took 12 ms.
 *
 * <p>The scratch pipeline shares only the compiled rules with the live one: its own session, its own journal in
 * memory, dry-run, and nothing bound to act on or tell of what it decides. Thread-safe.
 */
public final class WarmUp implements AutoCloseable {
    static final String SCENARIOS = "signatures/scenarios";
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

    /** What one warm-up did. */
    public record Result(int replayed, int skipped, int decisions, long millis) {
    }

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vigil-warm-up");
        t.setDaemon(true);
        return t;
    });

    /** Warms up on {@code content} on the warm-up thread, after any warm-up already asked for. */
    Future<Result> warm(Content content, PipelineOptions live) {
        try {
            return thread.submit(() -> run(content, live));
        } catch (RejectedExecutionException closed) {
            return java.util.concurrent.CompletableFuture.completedFuture(new Result(0, 0, 0, 0));
        }
    }

    /** Replays every scenario of {@code content}; stops early when its thread is interrupted (the daemon closing). */
    static Result run(Content content, PipelineOptions live) {
        long began = System.nanoTime();
        List<ContentFile> files = content.source().tree(SCENARIOS, ".jsonl");
        Replayer replayer = new Replayer(content, new PipelineOptions(Engine.ClockKind.PSEUDO, live.policy(),
                live.confidence(), live.condense(), live.protectedPaths(), true, "warm-up-", live.forecast()));
        int replayed = 0;
        int skipped = 0;
        int decisions = 0;
        for (ContentFile f : files) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            try {
                decisions += replayer.run(ScenarioReader.parse(f.path(), new StringReader(f.text()))).lines().size();
                replayed++;
            } catch (ScenarioFormatException | IOException | RuntimeException e) {
                // `vigil rules test` reports a broken scenario; here it only warms nothing
                skipped++;
                LOG.debug("warm-up: {} not replayed: {}", f.path(), e.toString());
            }
        }
        Result r = new Result(replayed, skipped, decisions, (System.nanoTime() - began) / 1_000_000);
        if (!files.isEmpty()) {
            LOG.info("warm-up: replayed {} of the content's scenarios ({} decisions, none acted on) in {} ms",
                    r.replayed(), r.decisions(), r.millis());
        }
        return r;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
