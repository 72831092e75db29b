package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.audit.AuditJournal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil playbook pin}: writes the lock, a governor's act on record first; {@code vigil replay} only reports pins. */
class PlaybookPinCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path content;

    record Run(int exit, String out, String err) {
    }

    static Run vigil(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void content() throws Exception {
        content = tmp.resolve("content");
        Files.createDirectories(content.resolve("rules"));
        Files.createDirectories(content.resolve("signatures"));
        Files.createDirectories(content.resolve("playbooks/scripts"));
        Files.writeString(content.resolve("playbooks/tell.yaml"), """
                id: tell
                title: Tell the owners
                description: For the pin test.
                risk: none
                parameters:
                  subject: {type: string, pattern: '^[a-z]+$', from: target.service}
                steps:
                  - name: tell
                    executor: notify
                    timeout: 10s
                    message: "look at {{subject}}"
                    channels: [default]
                limits:
                  cooldown: 1h
                  max_runs_per_hour: 1
                  max_concurrent: 1
                """);
        Files.writeString(content.resolve("playbooks/scripts/helper"), "#!/bin/sh\necho one\n");
    }

    private List<JsonNode> journal() throws Exception {
        return Files.readAllLines(tmp.resolve("data/audit.jsonl")).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void pinWritesTheLockAndRecordsTheGovernorAndWhatChanged() throws Exception {
        Run first = vigil("playbook", "pin", "--content", content.toString(), "--governor", "alice", "--data", tmp.resolve("data").toString());
        assertEquals(0, first.exit(), first.err());
        String lock = Files.readString(content.resolve("playbooks/playbooks.lock"));
        assertTrue(lock.contains("  playbooks/tell.yaml\n") && lock.contains("  playbooks/scripts/helper\n"), lock);

        Files.writeString(content.resolve("playbooks/scripts/helper"), "#!/bin/sh\necho two\n");
        Run second = vigil("playbook", "pin", "--content", content.toString(), "--governor", "bob", "--data", tmp.resolve("data").toString());
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.out().contains("changed: playbooks/scripts/helper"), second.out());
        List<JsonNode> records = journal();
        assertEquals(2, records.size());
        JsonNode last = records.get(1);
        assertEquals("playbook.pin", last.path("type").asText());
        assertEquals("bob", last.path("data").path("governor").asText());
        assertEquals("changed", last.path("data").path("changes").path("playbooks/scripts/helper").asText());
        assertEquals(1, last.path("data").path("changes").size());
    }

    @Test
    void withoutADurableRecordNothingIsPinned() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        try (AuditJournal held = AuditJournal.open(data.resolve("audit.jsonl"), InstantSource.system())) {
            Run r = vigil("playbook", "pin", "--content", content.toString(), "--governor", "alice", "--data", data.toString());
            assertEquals(2, r.exit());
            assertTrue(r.err().contains("cannot record the pin"), r.err());
        }
        assertFalse(Files.exists(content.resolve("playbooks/playbooks.lock")));
    }

    @Test
    void replayReportsUnpinnedFilesWhereLintRefusesThem() throws Exception {
        Run lint = vigil("rules", "lint", "--content", content.toString());
        assertEquals(1, lint.exit());
        assertTrue(lint.err().contains("playbooks/tell.yaml: is not pinned in playbooks/playbooks.lock"), lint.err());
        Run replay = vigil("replay", "--content", content.toString(), tmp.resolve("no-such-scenario.jsonl").toString());
        assertTrue(replay.err().contains("vigil replay: warning: playbooks/tell.yaml: is not pinned"), replay.err());
        assertTrue(replay.err().contains("cannot read"), "the replay itself went on: " + replay.err());
    }
}
