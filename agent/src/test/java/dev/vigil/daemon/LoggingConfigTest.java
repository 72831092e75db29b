package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped {@code logback.xml}, loaded through Joran as the agent loads it: {@code vigil.log.format} selects plain
 * lines or JSON lines on standard error, exactly one line per event, and the file configures without a warning (any
 * warning makes Logback print its status log on standard output, which belongs to the commands).
 */
class LoggingConfigTest {
    private static final String PROPERTY = "vigil.log.format";
    private static final Pattern PLAIN_LINE =
            Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO |WARN |ERROR) d\\.v\\.d\\.LoggingConfigTest - .+");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "vigil.log.format={0} logs plain lines")
    @NullSource
    @ValueSource(strings = {"plain", "yaml"})
    void plainIsTheDefaultAndTheFallback(String format) throws Exception {
        LoggerContext context = configure(format);
        assertInstanceOf(PatternLayoutEncoder.class, encoderOf(context, "PLAIN"));

        // a plain line with a throwable goes on with the stack trace: keep the log lines themselves
        List<String> lines = logThreeEvents(context).stream()
                .filter(l -> !l.startsWith("\t") && !l.startsWith("java.io.IOException: no such file")).toList();

        assertEquals(3, lines.size(), "one line per event, from one appender only: " + lines);
        for (String line : lines) {
            assertTrue(PLAIN_LINE.matcher(line).matches(), "not a plain log line: " + line);
        }
        assertTrue(lines.get(2).endsWith("disk full on /var"), lines.get(2));
    }

    @Test
    void jsonLogsOneJsonObjectPerLine() throws Exception {
        LoggerContext context = configure("json");
        assertInstanceOf(JsonEncoder.class, encoderOf(context, "JSON"));

        List<String> lines = logThreeEvents(context);

        assertEquals(3, lines.size(), "one line per event, from one appender only, throwable included: " + lines);
        JsonNode info = JSON.readTree(lines.get(0));
        assertEquals("INFO", info.get("level").asText());
        assertEquals(LoggingConfigTest.class.getName(), info.get("loggerName").asText());
        assertEquals("probe took 12 ms", info.get("formattedMessage").asText());
        assertTrue(info.get("timestamp").isIntegralNumber(), lines.get(0));
        assertTrue(info.has("threadName"), lines.get(0));
        // left out on purpose: the raw template, its arguments, the context (name, birth date, every property)
        assertTrue(!info.has("message") && !info.has("arguments") && !info.has("context"), lines.get(0));

        JsonNode warn = JSON.readTree(lines.get(1));
        assertEquals("WARN", warn.get("level").asText());
        assertEquals("java.io.IOException", warn.get("throwable").get("className").asText());
        assertEquals("no such file", warn.get("throwable").get("message").asText());

        assertEquals("disk full on /var", JSON.readTree(lines.get(2)).get("formattedMessage").asText());
    }

    @Test
    void theSystemPropertySelectsTheFormatToo() throws Exception {
        String before = System.getProperty(PROPERTY);
        System.setProperty(PROPERTY, "json");
        try {
            List<String> lines = logThreeEvents(configure(null));
            assertEquals("INFO", JSON.readTree(lines.get(0)).get("level").asText());
        } finally {
            if (before == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, before);
            }
        }
    }

    @Test
    void reloadingWithTheContextPropertySwitchesARunningContext() throws Exception {
        // what the daemon does once it has read logging.format from its config file
        LoggerContext context = configure(null);
        assertTrue(PLAIN_LINE.matcher(logThreeEvents(context).get(0)).matches());

        context.reset(); // drops the context's properties too
        context.putProperty("VIGIL_LOG_LEVEL", "INFO");
        context.putProperty(PROPERTY, "json");
        load(context);

        assertEquals("INFO", JSON.readTree(logThreeEvents(context).get(0)).get("level").asText());
    }

    /** A fresh context (never the global one) configured from the shipped logback.xml, with the format if given. */
    private static LoggerContext configure(String format) throws JoranException {
        LoggerContext context = new LoggerContext();
        // the SLF4J provider gives the global context its MDC adapter; a context of our own needs one for the encoders
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.putProperty("VIGIL_LOG_LEVEL", "INFO"); // whatever the environment says
        if (format != null) {
            context.putProperty(PROPERTY, format);
        }
        load(context);
        return context;
    }

    private static void load(LoggerContext context) throws JoranException {
        URL config = LoggingConfigTest.class.getResource("/logback.xml");
        assertNotNull(config, "logback.xml is not on the class path");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(config);
        assertNoWarnings(context, "logback.xml configures with warnings or errors");
    }

    /** An appender that fails reports it only to the status log: a silent test would pass on no output at all. */
    private static void assertNoWarnings(LoggerContext context, String what) {
        List<Status> statuses = context.getStatusManager().getCopyOfStatusList();
        assertTrue(statuses.stream().allMatch(s -> s.getEffectiveLevel() < Status.WARN), () -> what + ":\n" + statuses);
    }

    private static Object encoderOf(LoggerContext context, String appender) {
        OutputStreamAppender<?> a = (OutputStreamAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(appender);
        assertNotNull(a, "no appender " + appender + " on the root logger");
        return a.getEncoder();
    }

    /** Logs an info, a warning with an exception and an error, and returns what reached standard error, line by line. */
    private static List<String> logThreeEvents(LoggerContext context) {
        Logger log = context.getLogger(LoggingConfigTest.class);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        // the console appender looks System.err up on every write, so swapping it captures the appender's output
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            log.info("probe took {} ms", 12);
            log.warn("cannot read the policy", new IOException("no such file"));
            log.error("disk full on {}", "/var");
        } finally {
            System.setErr(original);
        }
        assertNoWarnings(context, "an appender failed");
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
