package dev.vigil.cli;

import dev.vigil.audit.AuditJournal;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.audit.AuditException;
import dev.vigil.audit.AuditVerifier;
import dev.vigil.audit.Checkpoint;
import dev.vigil.audit.JournalTree;
import dev.vigil.audit.SigningKey;
import dev.vigil.audit.VerifyResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil audit …}: checking the audit journal, proving what is in it, and making a checkpoint key. */
@Command(name = "audit", description = "Work with the audit journal.", subcommands = {AuditCommand.Verify.class,
        AuditCommand.Prove.class, AuditCommand.Consistency.class, AuditCommand.Keygen.class})
final class AuditCommand implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code vigil audit verify FILE}: recomputes the chain and the checkpoints and names the first broken record. */
    @Command(name = "verify", description = "Recompute the hash chain of a journal across its rotated files (FILE.1, "
            + "FILE.2, … then FILE) and check every checkpoint. Exit 0 when intact, 1 at the first modified, deleted, "
            + "inserted, reordered or truncated record (named by file, line and seq), 2 when it cannot be read, 3 when "
            + "the only fault is a torn last line (a crash mid-write).")
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "The journal's active file (JSON Lines), e.g. vigil-data/audit.jsonl.")
        Path file;

        @Option(names = "--public-key", paramLabel = "PEM", description = "Check every checkpoint's Ed25519 signature with this public key.")
        Path publicKey;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            file = activeFile(file);
            Optional<Integer> unreadable = unreadable(file, err, "verify");
            if (unreadable.isPresent()) {
                return unreadable.get();
            }
            try {
                Optional<PublicKey> key = publicKey == null ? Optional.empty() : Optional.of(SigningKey.loadPublic(publicKey));
                VerifyResult r = AuditVerifier.verify(file, key);
                (r.ok() ? spec.commandLine().getOut() : err).println(file + ": " + r.describe());
                return r.ok() ? 0 : r.tornTail() ? 3 : 1;
            } catch (IllegalArgumentException | IOException e) {
                err.println("vigil audit verify: " + e.getMessage());
                return 2;
            }
        }
    }

    /** {@code vigil audit prove --record SEQ FILE}: an inclusion proof for one record. */
    @Command(name = "prove", description = "Print an RFC 6962 inclusion proof (JSON) that record SEQ is in the journal's "
            + "Merkle tree: by default the tree of the latest checkpoint that covers it, otherwise of every record.")
    static final class Prove implements Callable<Integer> {
        @Option(names = "--record", required = true, paramLabel = "SEQ", description = "The record's seq.")
        long seq;

        @Option(names = "--size", paramLabel = "N", description = "Prove it in the tree of the first N records.")
        Long size;

        @Parameters(paramLabel = "FILE", description = "The journal's active file.")
        Path file;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return withTree(spec, file, "prove", tree -> {
                long n = size != null ? size : tree.checkpoints().stream().mapToLong(Checkpoint::treeSize)
                        .filter(s -> s >= seq).max().orElse(tree.size());
                JournalTree.InclusionProof proof = tree.prove(seq, n);
                ObjectNode out = JSON.createObjectNode();
                out.put("seq", proof.seq());
                out.put("tree_size", proof.treeSize());
                out.put("leaf_hash", proof.leafHash());
                out.put("root", proof.root());
                proof.path().forEach(out.putArray("path")::add);
                out.put("verified", proof.verify());
                checkpointAt(tree, n).ifPresent(c -> out.set("checkpoint", json(c)));
                return out;
            });
        }
    }

    /** {@code vigil audit consistency --from N FILE}: the log only grew since it had N records. */
    @Command(name = "consistency", description = "Print an RFC 6962 consistency proof (JSON) that the tree of the first N "
            + "records is a prefix of the tree of the first M (default: every record), so the journal only grew.")
    static final class Consistency implements Callable<Integer> {
        @Option(names = "--from", required = true, paramLabel = "N", description = "The older tree size, e.g. a checkpoint's tree_size.")
        long from;

        @Option(names = "--to", paramLabel = "M", description = "The newer tree size (default: every record).")
        Long to;

        @Parameters(paramLabel = "FILE", description = "The journal's active file.")
        Path file;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return withTree(spec, file, "consistency", tree -> {
                JournalTree.ConsistencyProof proof = tree.consistency(from, to != null ? to : tree.size());
                ObjectNode out = JSON.createObjectNode();
                out.put("from", proof.from());
                out.put("to", proof.to());
                out.put("from_root", proof.fromRoot());
                out.put("to_root", proof.toRoot());
                proof.proof().forEach(out.putArray("proof")::add);
                out.put("verified", proof.verify());
                checkpointAt(tree, proof.from()).ifPresent(c -> out.set("from_checkpoint", json(c)));
                checkpointAt(tree, proof.to()).ifPresent(c -> out.set("to_checkpoint", json(c)));
                return out;
            });
        }
    }

    /** {@code vigil audit keygen --out FILE}: a new Ed25519 key for signing checkpoints. */
    @Command(name = "keygen", description = "Write a new Ed25519 signing key (PKCS#8 PEM, owner-only) to FILE and its public "
            + "key to FILE.pub; name FILE as audit.signing_key in the configuration and give FILE.pub to the governors.")
    static final class Keygen implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the private key; must not exist.")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Path pub = out.resolveSibling(out.getFileName() + ".pub");
            if (Files.exists(out) || Files.exists(pub)) {
                spec.commandLine().getErr().println("vigil audit keygen: " + (Files.exists(out) ? out : pub)
                        + " already exists; not overwriting a key");
                return 2;
            }
            SigningKey key = SigningKey.generate();
            try {
                Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(out, key.privatePem());
                Files.writeString(pub, key.publicPem());
            } catch (IOException | UnsupportedOperationException e) {
                spec.commandLine().getErr().println("vigil audit keygen: cannot write " + out + ": " + e.getMessage());
                return 2;
            }
            spec.commandLine().getOut().println("vigil audit keygen: wrote " + out + " (private, <secret>) and " + pub
                    + " (public); key id " + key.id());
            return 0;
        }
    }

    private interface TreeQuery {
        ObjectNode run(JournalTree tree);
    }

    private static Integer withTree(CommandLine.Model.CommandSpec spec, Path given, String command, TreeQuery query) {
        PrintWriter err = spec.commandLine().getErr();
        Path file = activeFile(given);
        Optional<Integer> unreadable = unreadable(file, err, command);
        if (unreadable.isPresent()) {
            return unreadable.get();
        }
        try {
            ObjectNode out = query.run(JournalTree.load(file));
            spec.commandLine().getOut().println(out.toString());
            return out.path("verified").asBoolean() ? 0 : 1;
        } catch (AuditException e) {
            err.println("vigil audit " + command + ": " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException | IOException e) {
            err.println("vigil audit " + command + ": " + e.getMessage());
            return 2;
        }
    }

    /** A checkpoint as the journal writes it, so a governor can compare it with a signed tree head kept elsewhere. */
    private static ObjectNode json(Checkpoint c) {
        ObjectNode out = JSON.createObjectNode();
        out.put("tree_size", c.treeSize());
        out.put("root", c.root());
        out.put("key", c.key());
        out.put("signature", c.signature());
        return out;
    }

    private static Optional<Checkpoint> checkpointAt(JournalTree tree, long size) {
        return tree.checkpoints().stream().filter(c -> c.treeSize() == size).reduce((a, b) -> b);
    }

    /** The journal's active file: as given, or {@code audit.jsonl} in it when a data directory is given. */
    private static Path activeFile(Path given) {
        return Files.isDirectory(given) ? given.resolve(AuditJournal.FILE_NAME) : given;
    }

    private static Optional<Integer> unreadable(Path file, PrintWriter err, String command) {
        if (!Files.isRegularFile(file) && !Files.exists(file.resolveSibling(file.getFileName() + ".1"))) {
            err.println("vigil audit " + command + ": cannot read " + file
                    + (Files.exists(file) ? " (not a file)" : " (no such file)"));
            return Optional.of(2);
        }
        return Optional.empty();
    }
}
