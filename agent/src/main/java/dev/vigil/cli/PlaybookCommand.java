package dev.vigil.cli;

import dev.vigil.audit.AuditException;
import dev.vigil.audit.AuditJournal;
import dev.vigil.content.ContentError;
import dev.vigil.content.ContentSource;
import dev.vigil.playbook.PlaybookLock;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil playbook …}: the governors' acts on playbooks. */
@Command(name = "playbook", description = "Work with playbooks.", subcommands = {PlaybookCommand.Pin.class})
final class PlaybookCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code vigil playbook pin}: writes {@code playbooks/playbooks.lock} with the SHA-256 of every playbook and
     * script as they are now. A governor's act: the audit record is durable before the lock is replaced.
     */
    @Command(name = "pin", description = "Pin every playbook and script as they are now: write playbooks/playbooks.lock "
            + "(SHA-256 per file) after recording the act, with what changed, in the audit journal. Only pinned files "
            + "load. Exit 0 when written, 2 when the content or the journal cannot be used.")
    static final class Pin implements Callable<Integer> {
        private static final Pattern GOVERNOR = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$");

        @Mixin
        ContentOption content;

        @Option(names = "--governor", required = true, paramLabel = "NAME", description = "Who pins (recorded in the audit journal).")
        String governor;

        @Option(names = "--data", paramLabel = "DIR", description = "Where the audit journal is (default: ./vigil-data).")
        Path data = Path.of("vigil-data");

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!GOVERNOR.matcher(governor).matches()) {
                err.println("vigil playbook pin: --governor must be a plain name (letters, digits, . _ @ -), was " + governor);
                return 2;
            }
            ContentSource source = content.source();
            Optional<Path> root = source.directory();
            if (root.isEmpty()) {
                err.println("vigil playbook pin: the built-in content cannot be pinned; name a directory with --content");
                return 2;
            }
            List<ContentError> badLines = new ArrayList<>();
            PlaybookLock before = PlaybookLock.read(source, badLines);
            PlaybookLock next = PlaybookLock.compute(source);
            Map<String, String> changes = before.changesTo(next);
            Path lockFile = root.get().resolve(PlaybookLock.FILE);
            try {
                Files.createDirectories(data);
            } catch (IOException e) {
                err.println("vigil playbook pin: cannot create " + data + ": " + e.getMessage());
                return 2;
            }
            Path journalFile = data.resolve(AuditJournal.FILE_NAME);
            try (AuditJournal journal = AuditJournal.open(journalFile, InstantSource.system())) {
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("governor", governor);
                record.put("lock", lockFile.toString());
                record.put("changes", changes);
                record.put("pins", next.sha256ByPath());
                journal.append("playbook.pin", record);
                journal.commit(); // the act is on record before it takes effect
            } catch (AuditException e) {
                // fail closed: no durable record, no pin (a running daemon holds the journal)
                err.println("vigil playbook pin: cannot record the pin in " + journalFile + ": " + e.getMessage()
                        + " (stop the daemon that holds it, or name its journal with --data)");
                return 2;
            }
            try {
                Path tmp = lockFile.resolveSibling(".playbooks.lock.tmp");
                Files.writeString(tmp, next.render(), StandardCharsets.UTF_8);
                Files.move(tmp, lockFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                err.println("vigil playbook pin: cannot write " + lockFile + ": " + e.getMessage());
                return 2;
            }
            badLines.forEach(e -> out.println("replaced a bad line: " + e));
            changes.forEach((path, what) -> out.println(what + ": " + path));
            out.println("pinned " + next.sha256ByPath().size() + " files in " + lockFile + " (" + changes.size()
                    + " changed), recorded for " + governor + " in " + journalFile);
            out.flush();
            return 0;
        }
    }
}
