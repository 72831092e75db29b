package dev.vigil.cli;

import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.daemon.Content;
import dev.vigil.daemon.PolicyFile;
import java.io.PrintWriter;
import java.util.Optional;

/** What a command runs on: the loaded content and the governors' policy. Immutable. */
record Setup(Content content, PolicyFile.Policy policy) {

    /** Loads both, or prints every error (prefixed by the command's name) and returns empty. */
    static Optional<Setup> load(ContentOption content, PolicyOption policy, PrintWriter err, String command) {
        try {
            PolicyFile.Policy p = policy.load();
            return Optional.of(new Setup(Content.load(content.source()), p));
        } catch (ContentException e) {
            for (ContentError error : e.errors()) {
                err.println(command + ": " + error);
            }
            err.flush();
            return Optional.empty();
        }
    }
}
