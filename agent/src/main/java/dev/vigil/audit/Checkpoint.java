package dev.vigil.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A signed tree head: the RFC 6962 root of the first {@code treeSize} records, signed with Ed25519; immutable.
 *
 * <p>The journal writes one as the data of a {@value #TYPE} record, which itself is the next record of the chain.
 * The signature covers the UTF-8 bytes of {@link #message()}:
 * {@code "vigil-audit-checkpoint/v1\n" + treeSize + "\n" + root + "\n"}, root in lowercase hex. A governor who keeps
 * a checkpoint can later ask for a consistency proof from its size and check that the log only grew.
 *
 * @param treeSize  how many records the tree covers (seq 1 to treeSize)
 * @param root      the tree's root, 64 lowercase hex digits
 * @param key       the signing key's id ({@link SigningKey#keyId})
 * @param signature the Ed25519 signature, base64
 */
public record Checkpoint(long treeSize, String root, String key, String signature) {
    /** The record type the journal writes checkpoints as. */
    public static final String TYPE = "journal.checkpoint";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public Checkpoint {
        if (treeSize < 1) {
            throw new IllegalArgumentException("checkpoint tree_size must be >= 1, was " + treeSize);
        }
        for (String[] field : new String[][] {{"root", root}, {"key", key}}) {
            if (field[1] == null || !HEX64.matcher(field[1]).matches()) {
                throw new IllegalArgumentException("checkpoint " + field[0] + " must be 64 lowercase hex digits, was "
                        + Canonical.sanitize(field[1], 70));
            }
        }
        if (signature == null || signature.isBlank()) {
            throw new IllegalArgumentException("checkpoint signature must not be blank");
        }
    }

    static Checkpoint sign(SigningKey key, long treeSize, byte[] root) {
        String hex = HexFormat.of().formatHex(root);
        byte[] sig = key.sign(message(treeSize, hex));
        return new Checkpoint(treeSize, hex, key.id(), Base64.getEncoder().encodeToString(sig));
    }

    /** Reads a checkpoint record's data; throws {@link IllegalArgumentException} saying what is wrong. */
    static Checkpoint from(JsonNode data) {
        JsonNode size = data.path("tree_size");
        if (!size.isIntegralNumber() || !size.canConvertToLong()) {
            throw new IllegalArgumentException("checkpoint tree_size is not an integer");
        }
        if (data.size() != 4) {
            throw new IllegalArgumentException("checkpoint data must have exactly key, root, signature and tree_size");
        }
        return new Checkpoint(size.longValue(), data.path("root").asText(null), data.path("key").asText(null),
                data.path("signature").asText(null));
    }

    /** The bytes the signature covers. */
    public byte[] message() {
        return message(treeSize, root);
    }

    /** Whether the signature is valid for {@code publicKey}; false too when the key is not the one named. */
    public boolean verify(PublicKey publicKey) {
        if (!SigningKey.keyId(publicKey).equals(key)) {
            return false;
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return SigningKey.verify(publicKey, message(), sig);
    }

    /** The record data the journal writes. */
    Map<String, Object> data() {
        return Map.of("tree_size", treeSize, "root", root, "key", key, "signature", signature);
    }

    private static byte[] message(long treeSize, String rootHex) {
        return ("vigil-audit-checkpoint/v1\n" + treeSize + "\n" + rootHex + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
