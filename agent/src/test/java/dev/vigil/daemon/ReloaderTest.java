package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.audit.AuditJournal;
import dev.vigil.content.ContentError;
import dev.vigil.content.ContentFile;
import dev.vigil.content.ContentSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import dev.vigil.testing.ContentCopy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloading content into a running pipeline: valid content is swapped in and journalled with who asked and the
 * hashes of what changed; broken content is refused whole, with every error located, and the old keeps running.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReloaderTest {
    private Path dir;
    private AuditJournal journal;
    private Pipeline pipeline;
    private Reloader reloader;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = ContentCopy.of(tmp);
        journal = AuditJournal.inMemory(InstantSource.fixed(Instant.EPOCH));
        Content content = Content.load(ContentSource.directory(dir));
        pipeline = new Pipeline(content, PipelineOptions.replay(), journal, 0);
        reloader = new Reloader(content, work -> work.apply(pipeline), journal);
    }

    @AfterAll
    void stop() {
        reloader.close();
        pipeline.close();
    }

    private String read(String file) throws Exception {
        return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
    }

    private void write(String file, String text) throws Exception {
        Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("a broken DRL and a broken signature are refused together, each error at its file and line, and the old content keeps running")
    void brokenContentIsRefusedWithEveryErrorLocatedAndTheOldKeepsRunning() throws Exception {
        String drl = read("rules/tls.drl");
        String yaml = read("signatures/disk-full.yaml");
        Content before = pipeline.content();
        var engineBefore = pipeline.engine();
        try {
            write("rules/tls.drl", drl + "\nrule \"half written\"\nwhen\n    SeriesState( name == \"x\", value > )\nthen\nend\n");
            write("signatures/disk-full.yaml", yaml.replace("prior: 0.2", "prior: very likely"));
            ReloadResult r = reloader.reload("api:alice");

            ReloadResult.Rejected rejected = assertInstanceOf(ReloadResult.Rejected.class, r, r.describe());
            List<String> errors = rejected.errors().stream().map(ContentError::toString).toList();
            int brokenRuleLine = drl.split("\n", -1).length + 3; // the appended pattern line
            assertTrue(errors.stream().anyMatch(e -> e.startsWith("rules/tls.drl:" + brokenRuleLine + ": ")), String.join("\n", errors));
            int priorLine = 1 + (int) yaml.substring(0, yaml.indexOf("prior:")).chars().filter(c -> c == '\n').count();
            assertTrue(errors.stream().anyMatch(e -> e.startsWith("signatures/disk-full.yaml:" + priorLine + ": prior: ")),
                    String.join("\n", errors));
            assertSame(before, pipeline.content(), "the old content runs");
            assertSame(engineBefore, pipeline.engine(), "the old session runs");
            assertSame(before, reloader.current());
            String last = journal.lines().get(journal.lines().size() - 1);
            assertTrue(last.contains("\"content.reload\"") && last.contains("\"who\":\"api:alice\"")
                    && last.contains("\"outcome\":\"rejected\"") && last.contains("rules/tls.drl:" + brokenRuleLine), last);
        } finally {
            write("rules/tls.drl", drl);
            write("signatures/disk-full.yaml", yaml);
        }
    }

    @Test
    @DisplayName("a valid change is swapped in and journalled with who asked and the old and new SHA-256 of each changed file; the same files again change nothing")
    void aValidChangeIsSwappedInAndJournalledWithItsHashes() throws Exception {
        String yaml = read("signatures/disk-full.yaml");
        String oldSha = new ContentFile("x", yaml).sha256();
        String changed = yaml.replace("title: Filesystem full", "title: Filesystem full to the brim");
        try {
            write("signatures/disk-full.yaml", changed);

            ReloadResult r = reloader.reload("SIGHUP");

            ReloadResult.Applied applied = assertInstanceOf(ReloadResult.Applied.class, r, r.describe());
            String newSha = new ContentFile("x", changed).sha256();
            assertEquals(java.util.Map.of("signatures/disk-full.yaml", List.of(oldSha, newSha)), applied.diff().changed());
            assertTrue(applied.diff().added().isEmpty() && applied.diff().removed().isEmpty(), applied.diff().toString());
            assertEquals("Filesystem full to the brim", pipeline.content().signatures().get("disk-full").orElseThrow().title());
            assertSame(pipeline.content(), reloader.current());
            String record = journal.lines().stream().filter(l -> l.contains("\"outcome\":\"applied\"")).reduce((a, b) -> b).orElseThrow();
            assertTrue(record.contains("\"who\":\"SIGHUP\"") && record.contains("\"signatures/disk-full.yaml\":[\"" + oldSha + "\",\"" + newSha + "\"]"), record);

            assertInstanceOf(ReloadResult.Unchanged.class, reloader.reload("file watch"));
        } finally {
            write("signatures/disk-full.yaml", yaml);
        }
    }

    @Test
    @DisplayName("a reload must say who asked for it")
    void aReloadMustSayWhoAsked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reloader.reload(" "));
        assertEquals("a reload needs to say who asked for it, was \" \"", e.getMessage());
    }
}
