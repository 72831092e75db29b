package dev.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.audit.AuditVerifier;
import dev.vigil.testing.FakeProc;
import dev.vigil.testing.Repo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil run} with no configuration: watches the host, journals, stops cleanly. */
class RunCommandTest {
    @Test
    void runsInDryRunOnTheHostProbeAndLeavesAnIntactJournal(@TempDir Path tmp) throws Exception {
        Path proc = FakeProc.create(tmp.resolve("proc"), tmp);
        Path data = tmp.resolve("data");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "run", "--content",
                Repo.root().toString(), "--data", data.toString(), "--proc", proc.toString(), "--interval", "1", "--duration", "2", "--listen", "127.0.0.1:0");
        assertEquals(0, exit, out + "\n" + err);
        String o = out.toString();
        assertTrue(o.contains("watching host probe-host"), o);
        assertTrue(o.contains("vigil: listening on http://127.0.0.1:"), o);
        assertTrue(o.contains("mode dry-run"), o);
        assertTrue(o.contains("status: "), o);
        assertTrue(o.contains("stopped; journal is durable"), o);
        Path journal = data.resolve("audit.jsonl");
        assertTrue(AuditVerifier.verify(journal).ok(), AuditVerifier.verify(journal).describe());
        List<String> lines = Files.readAllLines(journal);
        assertTrue(lines.get(0).contains("\"type\":\"pipeline.start\""), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"type\":\"facts\"")), "facts from the probe were journalled");
    }

    @Test
    void brokenContentStopsTheStartWithEveryErrorListed(@TempDir Path tmp) throws Exception {
        Path content = tmp.resolve("content");
        Files.createDirectories(content.resolve("rules"));
        Files.createDirectories(content.resolve("signatures"));
        Files.createDirectories(content.resolve("playbooks"));
        Files.writeString(content.resolve("rules/broken.drl"), "package x;\nrule \"r\" when Nope() then end\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "run", "--content", content.toString(),
                "--data", tmp.resolve("data").toString(), "--duration", "1", "--listen", "127.0.0.1:0");
        assertEquals(2, exit);
        assertTrue(err.toString().contains("rules/broken.drl:2:"), err.toString());
    }

    @Test
    void aTornJournalIsSealedAsItIs_saidAtStart_andTheChainGoesOnFromTheLastGoodRecord(@TempDir Path tmp) throws Exception {
        Path data = Files.createDirectories(tmp.resolve("data"));
        String torn = "{\"seq\":1,\"time\":\"2026-01-01T00:00:00.000Z\",\"ty";
        Files.writeString(data.resolve("audit.jsonl"), torn);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "run", "--content",
                Repo.root().toString(), "--data", data.toString(), "--duration", "1", "--listen", "127.0.0.1:0");
        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().contains("vigil: audit journal: torn last line audit.jsonl.1:1 (" + torn.length()
                + " bytes, a crash mid-write) left in place; the chain continues at seq 1"), out.toString());
        assertEquals(torn, Files.readString(data.resolve("audit.jsonl.1")), "the torn line is kept as it was");
        assertTrue(AuditVerifier.verify(data.resolve("audit.jsonl")).ok(), AuditVerifier.verify(data.resolve("audit.jsonl")).describe());
    }

    @Test
    void aBadConfigurationStopsTheStartWithEveryErrorListed(@TempDir Path tmp) throws Exception {
        Path config = Files.writeString(tmp.resolve("vigil.yaml"), "listen: {port: -1}\nmode: live\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "run", "--config", config.toString(),
                "--content", Repo.root().toString(), "--data", tmp.resolve("data").toString(), "--duration", "1");
        assertEquals(2, exit);
        assertTrue(err.toString().contains("vigil.yaml:1: listen.port"), err.toString());
        assertTrue(err.toString().contains("vigil.yaml:2: mode"), err.toString());
    }

    @Test
    void aPortInUseIsNamedAndNothingIsLeftRunning(@TempDir Path tmp) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "run", "--content",
                    Repo.root().toString(), "--data", tmp.resolve("data").toString(), "--duration", "1",
                    "--listen", "127.0.0.1:" + taken.getLocalPort());
            assertEquals(2, exit, out.toString());
            assertTrue(err.toString().contains("cannot listen for HTTP on 127.0.0.1:" + taken.getLocalPort()), err.toString());
            assertTrue(AuditVerifier.verify(tmp.resolve("data/audit.jsonl")).ok(), "the journal is left intact");
        }
    }
}
