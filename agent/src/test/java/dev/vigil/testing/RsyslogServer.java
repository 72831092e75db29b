package dev.vigil.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A private rsyslogd from {@link RealServers#rsyslog(String)}: it receives syslog on an imtcp input at 127.0.0.1:{@link
 * #port()} and applies the test's rules, typically {@link #forwardTcp(int)}. {@link #logger} injects a message the way
 * a client would, with util-linux logger.
 */
public final class RsyslogServer extends RealServer {
    private static final Duration LOGGER_TIMEOUT = Duration.ofSeconds(10);

    RsyslogServer(int port, Path workDir, Path logFile, Stopper stopper) {
        super("rsyslogd", "127.0.0.1", port, workDir, logFile, stopper);
    }

    /**
     * An omfwd action forwarding every message to 127.0.0.1:port over TCP as RFC 5424 with RFC 6587 octet-counted
     * framing ({@code "LEN <PRI>1 TIMESTAMP HOST APP ..."}; the template ends with a LF, and LEN counts it). It retries every second without limit, so messages wait in
     * the queue rather than being dropped while the receiver is not listening yet (the default pause is 30 s).
     */
    public static String forwardTcp(int port) {
        return "action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + port + "\" protocol=\"tcp\""
                + " Template=\"RSYSLOG_SyslogProtocol23Format\" TCP_Framing=\"octet-counted\""
                + " action.resumeRetryCount=\"-1\" action.resumeInterval=\"1\")\n";
    }

    /** Sends one message to this rsyslogd over TCP, as {@code logger -n 127.0.0.1 -P PORT -T -t TAG -- MESSAGE}. */
    public void logger(String tag, String message) {
        Commands.runOrFail("logger", List.of(Binaries.LOGGER, "-n", host(), "-P", Integer.toString(port()), "-T",
                "-t", tag, "--", message), workDir(), LOGGER_TIMEOUT);
    }
}
