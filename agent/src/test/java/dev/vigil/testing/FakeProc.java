package dev.vigil.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small fake of /proc for host probe and daemon tests: one CPU, 16 MB of memory, one filesystem (mounted read-only). */
public final class FakeProc {
    private FakeProc() {
    }

    public static Path create(Path dir, Path mountpoint) throws IOException {
        Files.createDirectories(dir.resolve("sys/fs"));
        Files.createDirectories(dir.resolve("sys/kernel"));
        Files.writeString(dir.resolve("stat"), "cpu  100 0 50 1000 5 0 1 0 0 0\ncpu0 100 0 50 1000 5 0 1 0 0 0\nintr 1 2 3\n");
        Files.writeString(dir.resolve("meminfo"), "MemTotal:       16000 kB\nMemFree:         4000 kB\nMemAvailable:    8000 kB\nBuffers: 1 kB\n");
        Files.writeString(dir.resolve("sys/fs/file-nr"), "356\t0\t2466170\n");
        Files.writeString(dir.resolve("sys/kernel/hostname"), "probe-host\n");
        Files.writeString(dir.resolve("mounts"), "proc /proc proc rw 0 0\n/dev/sda1 " + mountpoint.toString().replace(" ", "\\040")
                + " ext4 ro,relatime 0 0\n");
        return dir;
    }
}
