package dev.vigil.cli;

import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.daemon.Content;
import dev.vigil.daemon.PolicyFile;
import dev.vigil.playbook.PlaybookCatalog;
import java.io.PrintWriter;
import java.util.Optional;

/** What a command runs on: the loaded content and the governors' policy. Immutable. */
record Setup(Content content, PolicyFile.Policy policy) {

    /** Loads both, every playbook and script matching its pin, or prints every error and returns empty. */
    static Optional<Setup> load(ContentOption content, PolicyOption policy, PrintWriter err, String command) {
        return load(content, policy, err, command, PlaybookCatalog.Pins.REQUIRED);
    }

    /**
     * Loads both, or prints every error (prefixed by the command's name) and returns empty. With pins only reported,
     * each playbook or script that does not match {@code playbooks.lock} is printed as a warning.
     */
    static Optional<Setup> load(ContentOption content, PolicyOption policy, PrintWriter err, String command,
                                PlaybookCatalog.Pins pins) {
        try {
            PolicyFile.Policy p = policy.load();
            Content c = Content.load(content.source(), pins);
            for (ContentError problem : c.playbooks().pinProblems()) {
                err.println(command + ": warning: " + problem + " (nothing runs here; the daemon would refuse it)");
            }
            err.flush();
            return Optional.of(new Setup(c, p));
        } catch (ContentException e) {
            for (ContentError error : e.errors()) {
                err.println(command + ": " + error);
            }
            err.flush();
            return Optional.empty();
        }
    }
}
