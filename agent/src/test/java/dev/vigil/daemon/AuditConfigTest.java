package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.audit.SigningKey;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code audit:} section of the daemon's configuration. */
class AuditConfigTest {
    @Test
    void withoutAnAuditSection_theJournalRotatesDailyOrAt64MiB_andWritesNoCheckpoints() {
        DaemonConfig d = DaemonConfig.defaults();
        assertEquals(64L << 20, d.audit().rotateBytes());
        assertEquals(Duration.ofDays(1), d.audit().rotateInterval());
        assertEquals(Duration.ofMinutes(5), d.audit().checkpointInterval());
        assertTrue(d.audit().signingKey().isEmpty());
    }

    @Test
    void theSectionIsReadWithItsKey(@TempDir Path dir) throws Exception {
        SigningKey key = SigningKey.generate();
        Path pem = Files.writeString(dir.resolve("k.pem"), key.privatePem());
        DaemonConfig d = DaemonConfig.parse(new ContentFile("vigil.yaml", """
                audit: {rotate_bytes: 0, rotate_interval: never, checkpoint_interval: 1m, signing_key: %s}
                """.formatted(pem)));
        assertEquals(0, d.audit().rotateBytes());
        assertEquals(Duration.ZERO, d.audit().rotateInterval());
        assertEquals(Duration.ofMinutes(1), d.audit().checkpointInterval());
        assertEquals(key.id(), d.audit().signingKey().orElseThrow().id());
    }

    @Test
    void aBadValueOrAnUnreadableKeyIsAnErrorNamingTheField(@TempDir Path dir) {
        ContentException e = assertThrows(ContentException.class, () -> DaemonConfig.parse(new ContentFile("vigil.yaml", """
                audit:
                  rotate_bytes: -1
                  signing_key: %s
                """.formatted(dir.resolve("missing.pem")))));
        String all = e.getMessage();
        assertTrue(all.contains("rotate_bytes"), all);
        ContentException key = assertThrows(ContentException.class, () -> DaemonConfig.parse(new ContentFile("vigil.yaml",
                "audit: {signing_key: " + dir.resolve("missing.pem") + "}\n")));
        assertTrue(key.getMessage().contains("signing_key") && key.getMessage().contains("cannot read key file"), key.getMessage());
        assertTrue(key.getMessage().contains("vigil.yaml"), key.getMessage());
    }
}
