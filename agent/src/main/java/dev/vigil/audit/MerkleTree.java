package dev.vigil.audit;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * RFC 6962 Merkle tree hashing over the records of a journal, with inclusion and consistency proofs and their
 * verification (RFC 6962 §2.1, verification as in RFC 9162 §2.1.3.2 and §2.1.4.2); stateless and thread-safe.
 *
 * <p>A leaf is {@code SHA-256(0x00 || record line bytes)}, an inner node {@code SHA-256(0x01 || left || right)}, and a
 * tree of n leaves splits at the largest power of two below n. All hashes are 32-byte arrays; {@code leaves} are
 * leaf hashes, index 0 first (the record with seq 1).
 */
public final class MerkleTree {
    static final int HASH_BYTES = 32;

    private MerkleTree() {
    }

    /** {@code SHA-256(0x00 || data)}: the hash of one record's line (without its line break). */
    public static byte[] leafHash(byte[] data) {
        return leafHash(data, data.length);
    }

    /** The leaf hash of the first {@code length} bytes of {@code data}. */
    static byte[] leafHash(byte[] data, int length) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x00);
        sha.update(data, 0, length);
        return sha.digest();
    }

    /** {@code SHA-256(0x01 || left || right)}. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x01);
        sha.update(left);
        return sha.digest(right);
    }

    /** The root of the tree over the first {@code size} leaves; the empty tree's root is SHA-256 of nothing. */
    public static byte[] root(List<byte[]> leaves, long size) {
        checkSize(leaves, size);
        return size == 0 ? sha256().digest() : subtree(leaves, 0, (int) size);
    }

    /** The audit path of leaf {@code index} in the tree of the first {@code size} leaves, leaf side first. */
    public static List<byte[]> inclusionProof(List<byte[]> leaves, long index, long size) {
        checkSize(leaves, size);
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf index must be in [0, " + size + "), was " + index);
        }
        List<byte[]> path = new ArrayList<>();
        path(leaves, (int) index, 0, (int) size, path);
        return path;
    }

    /** The proof that the tree of the first {@code from} leaves is a prefix of the tree of the first {@code to}. */
    public static List<byte[]> consistencyProof(List<byte[]> leaves, long from, long to) {
        checkSize(leaves, to);
        if (from < 1 || from > to) {
            throw new IllegalArgumentException("consistency needs 1 <= from <= to (" + to + "), from was " + from);
        }
        List<byte[]> proof = new ArrayList<>();
        subproof((int) from, 0, (int) to, true, leaves, proof);
        return proof;
    }

    /** Whether {@code path} proves that {@code leaf} is leaf {@code index} of the tree of {@code size} with {@code root}. */
    public static boolean verifyInclusion(byte[] leaf, long index, long size, List<byte[]> path, byte[] root) {
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leaf;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    /** Whether {@code proof} shows the tree ({@code from}, {@code fromRoot}) is a prefix of ({@code to}, {@code toRoot}). */
    public static boolean verifyConsistency(long from, long to, byte[] fromRoot, byte[] toRoot, List<byte[]> proof) {
        if (from < 1 || from > to) {
            return false;
        }
        if (from == to) {
            return proof.isEmpty() && Arrays.equals(fromRoot, toRoot);
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(from) == 1) {
            path.add(0, fromRoot); // the old tree is a complete subtree: its root is the first node
        }
        long fn = from - 1;
        long sn = to - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(fr, fromRoot) && Arrays.equals(sr, toRoot);
    }

    /** The largest power of two strictly below {@code n} (n >= 2): RFC 6962's split point. */
    static int split(int n) {
        return Integer.highestOneBit(n - 1);
    }

    private static byte[] subtree(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return leaves.get(from);
        }
        int k = split(n);
        return nodeHash(subtree(leaves, from, from + k), subtree(leaves, from + k, to));
    }

    private static void path(List<byte[]> leaves, int m, int from, int to, List<byte[]> out) {
        int n = to - from;
        if (n == 1) {
            return;
        }
        int k = split(n);
        if (m < k) {
            path(leaves, m, from, from + k, out);
            out.add(subtree(leaves, from + k, to));
        } else {
            path(leaves, m - k, from + k, to, out);
            out.add(subtree(leaves, from, from + k));
        }
    }

    private static void subproof(int m, int from, int to, boolean complete, List<byte[]> leaves, List<byte[]> out) {
        int n = to - from;
        if (m == n) {
            if (!complete) {
                out.add(subtree(leaves, from, to));
            }
            return;
        }
        int k = split(n);
        if (m <= k) {
            subproof(m, from, from + k, complete, leaves, out);
            out.add(subtree(leaves, from + k, to));
        } else {
            subproof(m - k, from + k, to, false, leaves, out);
            out.add(subtree(leaves, from, from + k));
        }
    }

    private static void checkSize(List<byte[]> leaves, long size) {
        Objects.requireNonNull(leaves, "leaves");
        if (size < 0 || size > leaves.size()) {
            throw new IllegalArgumentException("tree size must be in [0, " + leaves.size() + "], was " + size);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * The right edge of a growing tree: the roots of its perfect subtrees, largest first, enough to give the root
     * after every append in O(log n) memory. Not thread-safe: its owner guards it.
     */
    static final class Frontier {
        private final List<byte[]> hashes = new ArrayList<>();
        private final List<Long> sizes = new ArrayList<>();
        private long size;

        void append(byte[] leaf) {
            byte[] hash = leaf;
            long height = 1;
            while (!sizes.isEmpty() && sizes.get(sizes.size() - 1) == height) {
                int last = sizes.size() - 1;
                hash = nodeHash(hashes.remove(last), hash);
                sizes.remove(last);
                height *= 2;
            }
            hashes.add(hash);
            sizes.add(height);
            size++;
        }

        long size() {
            return size;
        }

        /** The RFC 6962 root: the perfect subtrees folded from the right (the split always takes the largest). */
        byte[] root() {
            if (hashes.isEmpty()) {
                return sha256().digest();
            }
            byte[] r = hashes.get(hashes.size() - 1);
            for (int i = hashes.size() - 2; i >= 0; i--) {
                r = nodeHash(hashes.get(i), r);
            }
            return r;
        }
    }
}
