package dev.vigil.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** The generator's one safety rule: it sends only to this machine. Stateless; thread-safe. */
final class Loopback {
    private Loopback() {
    }

    /** Throws unless {@code target} names a loopback address (127.0.0.0/8, ::1, localhost). */
    static void require(URI target) {
        String host = target.getHost();
        if (host == null) {
            throw new IllegalArgumentException("the benchmark target names no host: " + target);
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    throw new IllegalArgumentException("the benchmark sends only to loopback, and " + host
                            + " resolves to " + a.getHostAddress() + ": " + target);
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("the benchmark target's host does not resolve: " + target, e);
        }
    }
}
