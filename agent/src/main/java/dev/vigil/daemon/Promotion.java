package dev.vigil.daemon;

import dev.vigil.signature.SignatureCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/**
 * Moving one signature out of shadow: {@code signatures/shadow/ID.yaml} replaces {@code signatures/ID.yaml}, with
 * what it replaced kept so a rejected reload can put the files back. Not thread-safe; one per promotion.
 */
public final class Promotion {
    private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9-]{1,62}$"); // as the signature schema

    private final Path shadowFile;
    private final Path liveFile;
    private final byte[] shadowBytes;
    private final byte[] previousLive;

    private Promotion(Path shadowFile, Path liveFile, byte[] shadowBytes, byte[] previousLive) {
        this.shadowFile = shadowFile;
        this.liveFile = liveFile;
        this.shadowBytes = shadowBytes;
        this.previousLive = previousLive;
    }

    /** Prepares the promotion of {@code id} in the content directory {@code root}; changes nothing yet. */
    public static Promotion of(Path root, String id) throws IOException {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a signature id: " + id);
        }
        Path shadow = root.resolve(SignatureCatalog.SHADOW_FOLDER).resolve(id + ".yaml");
        if (!Files.isRegularFile(shadow)) {
            throw new IllegalArgumentException("signature " + id + " is not in shadow: no " + SignatureCatalog.SHADOW_FOLDER + "/" + id + ".yaml in " + root);
        }
        Path live = root.resolve("signatures").resolve(id + ".yaml");
        return new Promotion(shadow, live, Files.readAllBytes(shadow), Files.isRegularFile(live) ? Files.readAllBytes(live) : null);
    }

    /** Whether a live version is replaced (a changed signature) rather than added (a new one). */
    public boolean replacesLive() {
        return previousLive != null;
    }

    public void apply() throws IOException {
        Files.move(shadowFile, liveFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Puts both files back as they were before {@link #apply}. */
    public void undo() throws IOException {
        Files.write(shadowFile, shadowBytes);
        if (previousLive == null) {
            Files.deleteIfExists(liveFile);
        } else {
            Files.write(liveFile, previousLive);
        }
    }
}
