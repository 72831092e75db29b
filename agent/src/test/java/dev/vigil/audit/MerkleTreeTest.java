package dev.vigil.audit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 6962 hashing and proofs: the Certificate Transparency reference vectors (the eight leaves of the RFC 6962 test
 * suite and their published roots and proofs), then properties over every tree of 1 to 40 leaves.
 */
class MerkleTreeTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final List<byte[]> CT_LEAVES = leaves("", "00", "10", "2021", "3031", "40414243",
            "5051525354555657", "606162636465666768696a6b6c6d6e6f");
    private static final List<String> CT_ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    @Test
    void rootsMatchTheRfc6962ReferenceForEverySizeFromZeroToEight() {
        for (int size = 0; size <= 8; size++) {
            assertEquals(CT_ROOTS.get(size), HEX.formatHex(MerkleTree.root(CT_LEAVES, size)), "size " + size);
        }
    }

    @Test
    void inclusionProofsMatchTheReferencePaths() {
        assertEquals(List.of("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
                hex(MerkleTree.inclusionProof(CT_LEAVES, 0, 8)));
        assertEquals(List.of("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
                hex(MerkleTree.inclusionProof(CT_LEAVES, 5, 8)));
    }

    @Test
    void consistencyProofsMatchTheReferenceProofs() {
        assertEquals(List.of("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
                hex(MerkleTree.consistencyProof(CT_LEAVES, 2, 8)));
        assertEquals(List.of("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
                hex(MerkleTree.consistencyProof(CT_LEAVES, 6, 8)));
        assertEquals(List.of("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
                hex(MerkleTree.consistencyProof(CT_LEAVES, 2, 5)));
    }

    @Test
    void everyInclusionProofOfEveryLeafInTreesOfOneToFortyVerifies_andAWrongOneDoesNot() {
        List<byte[]> leaves = syntheticLeaves(40);
        for (int size = 1; size <= 40; size++) {
            byte[] root = MerkleTree.root(leaves, size);
            for (int i = 0; i < size; i++) {
                List<byte[]> path = MerkleTree.inclusionProof(leaves, i, size);
                assertTrue(MerkleTree.verifyInclusion(leaves.get(i), i, size, path, root), "leaf " + i + " of " + size);

                assertFalse(MerkleTree.verifyInclusion(leaves.get((i + 1) % 40), i, size, path, root), "wrong leaf");
                if (size > 1) {
                    assertFalse(MerkleTree.verifyInclusion(leaves.get(i), (i + 1) % size, size, path, root), "wrong index");
                    assertFalse(MerkleTree.verifyInclusion(leaves.get(i), i, size, path, MerkleTree.root(leaves, size - 1)),
                            "wrong root");
                    List<byte[]> tampered = new ArrayList<>(path);
                    tampered.set(tampered.size() - 1, flip(tampered.get(tampered.size() - 1)));
                    assertFalse(MerkleTree.verifyInclusion(leaves.get(i), i, size, tampered, root), "tampered path");
                    assertFalse(MerkleTree.verifyInclusion(leaves.get(i), i, size, path.subList(1, path.size()), root),
                            "shortened path");
                }
                // (A wrong size with the same root can pass when the path has the same shape: the size is bound to
                // the root by the signed checkpoint, not by the path.)
            }
        }
    }

    @Test
    void everyConsistencyProofBetweenTreesOfOneToFortyVerifies_andAWrongOneDoesNot() {
        List<byte[]> leaves = syntheticLeaves(40);
        List<byte[]> forked = new ArrayList<>(leaves);
        for (int to = 1; to <= 40; to++) {
            byte[] toRoot = MerkleTree.root(leaves, to);
            for (int from = 1; from <= to; from++) {
                byte[] fromRoot = MerkleTree.root(leaves, from);
                List<byte[]> proof = MerkleTree.consistencyProof(leaves, from, to);
                assertTrue(MerkleTree.verifyConsistency(from, to, fromRoot, toRoot, proof), from + " -> " + to);
                if (from < to) {
                    forked.set(from - 1, flip(leaves.get(from - 1))); // a log that rewrote a record it had shown
                    assertFalse(MerkleTree.verifyConsistency(from, to, MerkleTree.root(forked, from), toRoot, proof),
                            "rewritten history " + from + " -> " + to);
                    forked.set(from - 1, leaves.get(from - 1));
                    assertFalse(MerkleTree.verifyConsistency(from, to, fromRoot, MerkleTree.root(leaves, to - 1), proof),
                            "wrong new root");
                    List<byte[]> tampered = new ArrayList<>(proof);
                    tampered.set(0, flip(tampered.get(0)));
                    assertFalse(MerkleTree.verifyConsistency(from, to, fromRoot, toRoot, tampered), "tampered proof");
                }
            }
        }
    }

    @Test
    void theFrontierGivesTheSameRootAsTheWholeTree_afterEveryAppend() {
        List<byte[]> leaves = syntheticLeaves(70);
        MerkleTree.Frontier frontier = new MerkleTree.Frontier();
        assertArrayEquals(MerkleTree.root(leaves, 0), frontier.root());
        for (int n = 1; n <= 70; n++) {
            frontier.append(leaves.get(n - 1));
            assertEquals(n, frontier.size());
            assertArrayEquals(MerkleTree.root(leaves, n), frontier.root(), "size " + n);
        }
    }

    @Test
    void theSplitIsTheLargestPowerOfTwoBelowTheSize_notTheMidpoint() {
        assertEquals(List.of(1, 2, 2, 4, 4, 4, 4, 8, 8), List.of(MerkleTree.split(2), MerkleTree.split(3), MerkleTree.split(4),
                MerkleTree.split(5), MerkleTree.split(6), MerkleTree.split(7), MerkleTree.split(8), MerkleTree.split(9),
                MerkleTree.split(12)));
    }

    @Test
    void proofsOutsideTheTreeAreRefusedWithTheOffendingValue() {
        assertEquals("leaf index must be in [0, 8), was 8",
                assertThrows(IllegalArgumentException.class, () -> MerkleTree.inclusionProof(CT_LEAVES, 8, 8)).getMessage());
        assertEquals("tree size must be in [0, 8], was 9",
                assertThrows(IllegalArgumentException.class, () -> MerkleTree.root(CT_LEAVES, 9)).getMessage());
        assertEquals("consistency needs 1 <= from <= to (4), from was 5",
                assertThrows(IllegalArgumentException.class, () -> MerkleTree.consistencyProof(CT_LEAVES, 5, 4)).getMessage());
    }

    private static List<byte[]> leaves(String... hex) {
        List<byte[]> out = new ArrayList<>();
        for (String h : hex) {
            out.add(MerkleTree.leafHash(HEX.parseHex(h)));
        }
        return out;
    }

    private static List<byte[]> syntheticLeaves(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(MerkleTree.leafHash(new byte[] {(byte) i, (byte) (i * 7)}));
        }
        return out;
    }

    private static byte[] flip(byte[] hash) {
        byte[] out = hash.clone();
        out[0] ^= 1;
        return out;
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }
}
