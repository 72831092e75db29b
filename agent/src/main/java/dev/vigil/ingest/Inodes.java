package dev.vigil.ingest;

import com.sun.jna.platform.linux.LibC;
import java.util.Optional;

/**
 * The inode counts of a mounted filesystem from {@code statvfs(3)}, which the JDK does not expose. Thread-safe.
 *
 * @param files the filesystem's inodes ({@code f_files})
 * @param free  the free inodes ({@code f_ffree})
 */
record Inodes(long files, long free) {
    /** Whether the C library could be reached at all; decided once, so a host without it pays nothing per probe. */
    private static final boolean AVAILABLE = probeLibrary();

    /** The counts for the filesystem holding {@code path}; empty when statvfs fails or reports no inodes (e.g. btrfs). */
    static Optional<Inodes> of(String path) {
        if (!AVAILABLE) {
            return Optional.empty();
        }
        LibC.Statvfs buf = new LibC.Statvfs();
        if (LibC.INSTANCE.statvfs(path, buf) != 0) {
            return Optional.empty();
        }
        long files = buf.f_files.longValue();
        return files > 0 ? Optional.of(new Inodes(files, buf.f_ffree.longValue())) : Optional.empty();
    }

    static boolean available() {
        return AVAILABLE;
    }

    private static boolean probeLibrary() {
        try {
            return LibC.INSTANCE != null;
        } catch (LinkageError e) { // no native JNA for this platform, or no libc: inode counts are then not reported
            return false;
        }
    }
}
