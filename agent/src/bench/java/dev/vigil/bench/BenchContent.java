package dev.vigil.bench;

import dev.vigil.content.ContentException;
import dev.vigil.content.ContentSource;
import dev.vigil.daemon.Content;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Content for the benchmarks: the repository's library, or the library plus {@code n} generated signatures, each
 * with one rule on a metric of its own ({@code bench_metric_NNNN} above 100 for 60 s on a host). Stateless.
 */
final class BenchContent {
    private BenchContent() {
    }

    /** The repository root: the nearest directory at or above the working directory holding rules/ and signatures/. */
    static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("rules")) && Files.isDirectory(p.resolve("signatures"))) {
                return p;
            }
        }
        throw new IllegalStateException("run the benchmarks from the repository (no rules/ and signatures/ above "
                + Path.of("").toAbsolutePath() + ")");
    }

    static Content library() throws ContentException {
        return Content.load(ContentSource.directory(repository()));
    }

    /** A temp content directory: a copy of the library and {@code n} generated signatures with their rules. */
    static Path generated(int n) throws IOException {
        Path root = Files.createTempDirectory("vigil-bench-content");
        Path repo = repository();
        for (String folder : new String[] {"rules", "signatures", "playbooks"}) {
            copy(repo.resolve(folder), root.resolve(folder));
        }
        StringBuilder drl = new StringBuilder("package vigil.rules.generated;\n\nimport dev.vigil.fact.*;\n");
        for (int i = 0; i < n; i++) {
            String id = String.format(Locale.ROOT, "gen-%04d", i);
            Files.writeString(root.resolve("signatures").resolve(id + ".yaml"), String.format(Locale.ROOT, """
                    id: %1$s
                    title: Generated signature %2$d
                    severity: warning
                    description: A generated signature for the engine benchmarks.
                    prior: 0.2
                    target: [host]
                    requires: [high]
                    evidence:
                      high:
                        source: metric
                        weight: 2.0
                        description: bench_metric_%2$04d above 100 for 60 s
                    playbooks: [notify-owner]
                    """, id, i));
            drl.append(String.format(Locale.ROOT, """

                    rule "%1$s high for 60s"
                        @signature("%1$s") @evidence("high")
                    when
                        $s : SeriesState( name == "bench_metric_%2$04d", host != "", secondsAbove( 100 ) >= 60 )
                    then
                        insertLogical( Evidence.of( "%1$s", "high", Target.of( "host", $s.host() ), "high", $s.time() ) );
                    end
                    """, id, i));
        }
        Files.writeString(root.resolve("rules").resolve("generated.drl"), drl);
        return root;
    }

    static void delete(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
