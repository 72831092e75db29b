package dev.vigil.cli;

import dev.vigil.audit.AuditVerifier;
import dev.vigil.audit.VerifyResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vigil audit …}: checking the audit journal. */
@Command(name = "audit", description = "Work with the audit journal.", subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code vigil audit verify FILE}: recomputes the hash chain and names the first broken record. */
    @Command(name = "verify", description = "Recompute the hash chain of a journal. Exit 0 when intact, 1 at the first "
            + "modified, deleted, inserted, reordered or truncated record (named by line), 2 when it cannot be read.")
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The journal (JSON Lines).")
        Path file;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!Files.isReadable(file)) {
                spec.commandLine().getErr().println("vigil audit verify: cannot read " + file);
                return 2;
            }
            try {
                VerifyResult r = AuditVerifier.verify(file);
                (r.ok() ? spec.commandLine().getOut() : spec.commandLine().getErr()).println(file + ": " + r.describe());
                return r.ok() ? 0 : 1;
            } catch (IOException e) {
                spec.commandLine().getErr().println("vigil audit verify: " + file + ": " + e.getMessage());
                return 2;
            }
        }
    }
}
