package dev.vigil.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP reloads the content, as with most Unix daemons ({@code systemctl reload vigil}). Thread-safe.
 *
 * <p>Java has no public API for signals; {@code sun.misc.Signal} (module {@code jdk.unsupported}, exported to every
 * application and kept on purpose for this use) is what long-running Java servers use. Installing a handler replaces
 * the JVM's default for SIGHUP, which would run the shutdown hooks and exit: a reload must never stop the agent. The
 * handler runs on the JVM's signal thread, so it only hands the reload to the reloader's own thread.
 */
public final class SignalReload {
    private static final Logger LOG = LoggerFactory.getLogger(SignalReload.class);
    static final String WHO = "SIGHUP";

    private SignalReload() {
    }

    /**
     * Makes SIGHUP reload through {@code reloader}. Returns the previous handler (to restore it), or null when the
     * JVM does not let us handle SIGHUP (for example under {@code -Xrs}); then only the file watch and the API reload.
     */
    public static SignalHandler install(Reloader reloader) {
        try {
            return Signal.handle(new Signal("HUP"), sig -> reloader.reloadAsync(WHO));
        } catch (IllegalArgumentException e) {
            LOG.warn("SIGHUP cannot be handled in this JVM ({}); reload through the file watch or the API", e.getMessage());
            return null;
        }
    }

    /** Puts back the handler {@link #install} replaced. */
    public static void restore(SignalHandler previous) {
        if (previous != null) {
            Signal.handle(new Signal("HUP"), previous);
        }
    }
}
