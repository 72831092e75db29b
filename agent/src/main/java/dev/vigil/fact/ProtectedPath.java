package dev.vigil.fact;

import java.util.Objects;

/**
 * A path the governors declared must never be cleaned up automatically (a database's data directory), as a fact the
 * rules can see. Immutable.
 */
public record ProtectedPath(String path, String reason) {
    public ProtectedPath {
        Objects.requireNonNull(path, "path");
        reason = Objects.requireNonNullElse(reason, "configured data directory");
    }

    /** True when the mountpoint is this path or lies under it. */
    public boolean covers(String mountpoint) {
        return mountpoint != null && (mountpoint.equals(path) || mountpoint.startsWith(path.endsWith("/") ? path : path + "/"));
    }
}
