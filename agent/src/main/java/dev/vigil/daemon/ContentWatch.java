package dev.vigil.daemon;

import dev.vigil.signature.SignatureCatalog;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a content directory ({@code rules/}, {@code signatures/}, {@code signatures/shadow/}, {@code playbooks/})
 * and calls back once the files have been quiet for a while, so an editor's save or a {@code git pull} touching many
 * files yields one reload, not one per file. Thread-safe; {@link #close} stops it.
 */
public final class ContentWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContentWatch.class);
    private static final List<String> FOLDERS = List.of("rules", "signatures", SignatureCatalog.SHADOW_FOLDER, "playbooks");

    private final Path root;
    private final Duration quiet;
    private final Runnable onChange;
    private final WatchService watcher;
    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "vigil-content-watch");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> pending; // guarded by this

    private ContentWatch(Path root, Duration quiet, Runnable onChange) throws IOException {
        this.root = root;
        this.quiet = quiet;
        this.onChange = onChange;
        this.watcher = FileSystems.getDefault().newWatchService();
    }

    static final String WHO = "file watch";
    static final Duration QUIET = Duration.ofMillis(500);

    /**
     * Reloads through {@code reloader} whenever the content directory changes, when the content comes from one;
     * empty for the built-in content. A watch that cannot start is logged: SIGHUP and the API still reload.
     */
    static java.util.Optional<ContentWatch> reloading(dev.vigil.content.ContentSource source, Reloader reloader) {
        if (source.directory().isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(start(source.directory().get(), QUIET, () -> reloader.reload(WHO)));
        } catch (IOException e) {
            LOG.error("cannot watch {} for changes: {}; reload with SIGHUP or the API", source.description(), e.toString());
            return java.util.Optional.empty();
        }
    }

    /** Starts watching {@code root}; {@code onChange} runs on the watch thread after {@code quiet} without changes. */
    public static ContentWatch start(Path root, Duration quiet, Runnable onChange) throws IOException {
        ContentWatch w = new ContentWatch(root, quiet, onChange);
        w.register(root); // a content folder created later (signatures/shadow) is registered when it appears
        for (String f : FOLDERS) {
            if (Files.isDirectory(root.resolve(f))) {
                w.register(root.resolve(f));
            }
        }
        w.threads.execute(w::loop);
        return w;
    }

    private void register(Path dir) throws IOException {
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Path dir = (Path) key.watchable();
                boolean relevant = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        relevant = true;
                        continue;
                    }
                    Path changed = dir.resolve((Path) event.context());
                    if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(changed)
                            && FOLDERS.contains(root.relativize(changed).toString())) {
                        register(changed);
                        relevant = true;
                    } else if (!dir.equals(root) && isContent(changed.getFileName().toString())) {
                        relevant = true;
                    }
                }
                key.reset();
                if (relevant) {
                    debounce();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt(); // closing
        } catch (IOException e) {
            LOG.error("the content watch on {} stopped: {}; reload with SIGHUP or the API", root, e.toString());
        }
    }

    /** Content files, not an editor's swap or backup files. */
    private static boolean isContent(String name) {
        return name.endsWith(".drl") || name.endsWith(".yaml") || name.endsWith(".lock");
    }

    private synchronized void debounce() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = threads.schedule(() -> {
            try {
                onChange.run();
            } catch (RuntimeException e) {
                LOG.error("reloading after a content change failed", e);
            }
        }, quiet.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            LOG.warn("closing the content watch: {}", e.toString());
        }
        threads.shutdownNow();
    }
}
