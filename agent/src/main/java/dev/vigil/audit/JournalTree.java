package dev.vigil.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The Merkle tree of a journal's records as read from its files, for inclusion and consistency proofs; immutable
 * once loaded, thread-safe. Leaf i is record seq i + 1.
 */
public final class JournalTree {
    private static final HexFormat HEX = HexFormat.of();

    private final List<byte[]> leaves;
    private final List<Checkpoint> checkpoints;

    private JournalTree(List<byte[]> leaves, List<Checkpoint> checkpoints) {
        this.leaves = List.copyOf(leaves);
        this.checkpoints = List.copyOf(checkpoints);
    }

    /**
     * Reads the journal whose active file is {@code file}, verifying its chain on the way.
     *
     * @throws AuditException if the chain is broken (a torn tail is fine: proofs cover the records before it)
     */
    public static JournalTree load(Path file) throws IOException {
        List<byte[]> leaves = new ArrayList<>();
        AuditVerifier.Chain chain = AuditVerifier.walk(file, Optional.empty(), leaves);
        VerifyResult result = chain.result();
        if (!result.ok() && !result.tornTail()) {
            throw new AuditException("cannot build proofs over a broken journal: " + result.describe());
        }
        return new JournalTree(leaves, chain.checkpoints);
    }

    /** How many records the tree holds. */
    public long size() {
        return leaves.size();
    }

    /** The checkpoints found in the journal, oldest first, each already checked against the records. */
    public List<Checkpoint> checkpoints() {
        return checkpoints;
    }

    /** The root of the tree over the first {@code size} records, hex. */
    public String root(long size) {
        return HEX.formatHex(MerkleTree.root(leaves, size));
    }

    /** The proof that record {@code seq} is in the tree of the first {@code size} records. */
    public InclusionProof prove(long seq, long size) {
        if (size < 1 || size > leaves.size()) {
            throw new IllegalArgumentException("tree size must be in [1, " + leaves.size() + "], was " + size);
        }
        if (seq < 1 || seq > size) {
            throw new IllegalArgumentException("record seq must be in [1, " + size + "], was " + seq);
        }
        List<byte[]> path = MerkleTree.inclusionProof(leaves, seq - 1, size);
        return new InclusionProof(seq, size, HEX.formatHex(leaves.get((int) (seq - 1))), root(size), hex(path));
    }

    /** The proof that the tree of the first {@code from} records is a prefix of the tree of the first {@code to}. */
    public ConsistencyProof consistency(long from, long to) {
        if (to > leaves.size()) {
            throw new IllegalArgumentException("tree size must be at most " + leaves.size() + ", was " + to);
        }
        List<byte[]> proof = MerkleTree.consistencyProof(leaves, from, to);
        return new ConsistencyProof(from, to, root(from), root(to), hex(proof));
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }

    /**
     * An RFC 6962 audit path; immutable.
     *
     * @param seq      the record proved (leaf seq - 1)
     * @param treeSize the tree it is proved in
     * @param leafHash SHA-256(0x00 || the record's line), hex
     * @param root     the tree's root, hex
     * @param path     the audit path, leaf side first, hex
     */
    public record InclusionProof(long seq, long treeSize, String leafHash, String root, List<String> path) {
        public InclusionProof {
            path = List.copyOf(path);
        }

        /** Whether the path leads from the leaf to the root. */
        public boolean verify() {
            return MerkleTree.verifyInclusion(HEX.parseHex(leafHash), seq - 1, treeSize, unhex(path), HEX.parseHex(root));
        }
    }

    /**
     * An RFC 6962 consistency proof between two tree sizes; immutable.
     *
     * @param from     the older tree's size
     * @param to       the newer tree's size
     * @param fromRoot the older tree's root, hex
     * @param toRoot   the newer tree's root, hex
     * @param proof    the proof's hashes, hex
     */
    public record ConsistencyProof(long from, long to, String fromRoot, String toRoot, List<String> proof) {
        public ConsistencyProof {
            proof = List.copyOf(proof);
        }

        /** Whether the proof shows the older tree is a prefix of the newer. */
        public boolean verify() {
            return MerkleTree.verifyConsistency(from, to, HEX.parseHex(fromRoot), HEX.parseHex(toRoot), unhex(proof));
        }
    }

    private static List<byte[]> unhex(List<String> hashes) {
        return hashes.stream().map(HEX::parseHex).toList();
    }
}
