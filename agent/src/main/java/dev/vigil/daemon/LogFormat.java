package dev.vigil.daemon;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/** Applies the configuration's {@code logging.format} (plain or json) to Logback, by reloading the bundled logback.xml. */
public final class LogFormat {
    private LogFormat() {
    }

    /** Switches the log format; a user's own logback configuration file is left alone. */
    public static void apply(String format) {
        if (System.getProperty("logback.configurationFile") != null
                || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        String current = ctx.getProperty("vigil.log.format");
        if (format.equals(current != null ? current : System.getProperty("vigil.log.format", "plain"))) {
            return;
        }
        ctx.reset(); // also clears the context's properties
        ctx.putProperty("vigil.log.format", format); // a context property wins over -Dvigil.log.format
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        try {
            configurator.doConfigure(LogFormat.class.getResource("/logback.xml"));
        } catch (JoranException e) {
            throw new IllegalStateException("cannot reload the bundled logback.xml: " + e.getMessage(), e);
        }
    }
}
