package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The config's logging.format switches the live Logback context between the plain and the JSON appender. */
class LogFormatTest {
    @AfterEach
    void backToPlain() {
        LogFormat.apply("plain");
    }

    private static FilterReply decision(String appender) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Appender<ch.qos.logback.classic.spi.ILoggingEvent> a = root.getAppender(appender);
        LoggingEvent event = new LoggingEvent("x", root, Level.WARN, "hello", null, null);
        return a.getFilterChainDecision(event);
    }

    @Test
    void jsonTurnsThePlainAppenderOffAndTheJsonOneOn() {
        LogFormat.apply("json");
        assertEquals(FilterReply.DENY, decision("PLAIN"));
        assertEquals(FilterReply.NEUTRAL, decision("JSON"));
        LogFormat.apply("plain");
        assertEquals(FilterReply.NEUTRAL, decision("PLAIN"));
        assertEquals(FilterReply.DENY, decision("JSON"));
    }
}
