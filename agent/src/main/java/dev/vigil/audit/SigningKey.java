package dev.vigil.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Ed25519 key pair that signs checkpoints, read from a PEM file (PKCS#8, {@code openssl genpkey -algorithm
 * ed25519}); immutable and thread-safe. Also reads public keys (PEM, X.509 SubjectPublicKeyInfo) for verifying.
 *
 * <p>The key id is the hex SHA-256 of the public key's DER encoding: a checkpoint names the key that signed it, so
 * {@code vigil audit verify --public-key} can tell a wrong key from a forged signature.
 */
public final class SigningKey {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String id;

    private SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.id = keyId(publicKey);
    }

    /**
     * Reads a PKCS#8 Ed25519 private key from a PEM file.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no Ed25519 private key
     */
    public static SigningKey load(Path pem) {
        byte[] der = pemBlock(pem, "PRIVATE KEY");
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            return new SigningKey(key, publicKeyOf((EdECPrivateKey) key, pem));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException(pem + ": not an Ed25519 private key (PKCS#8): " + e.getMessage(), e);
        }
    }

    /** A fresh key pair (tests and {@code vigil audit keygen}). */
    public static SigningKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new SigningKey(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 platform has Ed25519", e);
        }
    }

    /**
     * Reads an Ed25519 public key from a PEM file ({@code -----BEGIN PUBLIC KEY-----}).
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no Ed25519 public key
     */
    public static PublicKey loadPublic(Path pem) {
        byte[] der = pemBlock(pem, "PUBLIC KEY");
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(pem + ": not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** The hex SHA-256 of the key's DER (SubjectPublicKeyInfo) encoding. */
    public static String keyId(PublicKey key) {
        return HexFormat.of().formatHex(MerkleTree.sha256().digest(key.getEncoded()));
    }

    public String id() {
        return id;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The private key as PEM (PKCS#8), for writing a key file with owner-only permissions. */
    public String privatePem() {
        return pem("PRIVATE KEY", privateKey.getEncoded());
    }

    /** The public key as PEM, for governors who verify. */
    public String publicPem() {
        return pem("PUBLIC KEY", publicKey.getEncoded());
    }

    byte[] sign(byte[] message) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
        }
    }

    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "SigningKey[Ed25519, id=" + id + ", private=<secret>]";
    }

    /**
     * Java 17 cannot derive an Ed25519 public key from a private one directly, but its key pair generator takes the
     * 32-byte seed from the random source it is given: feeding it the seed gives the pair back. A signature made with
     * the loaded key and checked with the derived one proves the derivation right.
     */
    private static PublicKey publicKeyOf(EdECPrivateKey key, Path pem) throws GeneralSecurityException {
        byte[] seed = key.getBytes().orElseThrow(() -> new IllegalArgumentException(pem + ": the private key has no seed bytes"));
        SecureRandom replay = new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                if (bytes.length != seed.length) {
                    throw new IllegalStateException("expected a request for " + seed.length + " seed bytes, got " + bytes.length);
                }
                System.arraycopy(seed, 0, bytes, 0, seed.length);
            }
        };
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, replay);
        PublicKey derived = generator.generateKeyPair().getPublic();
        byte[] probe = "vigil key check".getBytes(StandardCharsets.US_ASCII);
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(key);
        signature.update(probe);
        if (!verify(derived, probe, signature.sign())) {
            throw new IllegalArgumentException(pem + ": could not derive the public key of this Ed25519 key");
        }
        Arrays.fill(seed, (byte) 0);
        return derived;
    }

    private static byte[] pemBlock(Path pem, String label) {
        Objects.requireNonNull(pem, "pem");
        String text;
        try {
            text = Files.readString(pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(pem + ": cannot read key file: " + e.getMessage(), e);
        }
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(label)) {
                try {
                    return Base64.getMimeDecoder().decode(m.group(2));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(pem + ": the " + label + " block is not valid base64", e);
                }
            }
        }
        throw new IllegalArgumentException(pem + ": no -----BEGIN " + label + "----- block");
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
