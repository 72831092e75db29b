package dev.vigil.cli;

import dev.vigil.content.ContentException;
import dev.vigil.daemon.PolicyFile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --policy FILE}: the governors' gate policy; the defaults of the starter library without it. */
final class PolicyOption {
    @Option(names = "--policy", paramLabel = "FILE",
            description = "Governance policy (YAML): bands, auto_execute, settle, high_risk_approvals, protected_paths.")
    Path file;

    PolicyFile.Policy load() throws ContentException {
        return file == null ? PolicyFile.defaults() : PolicyFile.load(file);
    }
}
