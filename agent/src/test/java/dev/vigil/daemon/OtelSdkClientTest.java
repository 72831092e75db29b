package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.LogPatternRate;
import dev.vigil.fact.SeriesState;
import dev.vigil.fact.SpanKind;
import dev.vigil.fact.SpanStats;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry Java SDK, as an instrumented service would use it, exporting metrics, logs and traces over
 * OTLP/HTTP (protobuf) to the daemon: each signal must arrive in the engine as facts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtelSdkClientTest {
    private TestDaemon running;
    private Resource resource;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        running = TestDaemon.start("""
                listen: {host: 127.0.0.1, port: 0}
                data_dir: %s
                host_probe: {enabled: false}
                """.formatted(tmp.resolve("data")));
        resource = Resource.getDefault().merge(Resource.create(Attributes.builder()
                .put("service.name", "checkout").put("host.name", "app-1").put("service.instance.id", "app-1:8080").build()));
    }

    @AfterAll
    void stop() {
        running.close();
    }

    private String endpoint(String path) {
        return running.base().resolve(path).toString();
    }

    @Test
    void metricsFromTheSdkBecomeSeries() throws Exception {
        try (SdkMeterProvider meters = SdkMeterProvider.builder().setResource(resource)
                .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
                        .setEndpoint(endpoint("/v1/metrics")).build()).setInterval(Duration.ofSeconds(60)).build())
                .build()) {
            meters.get("test").gaugeBuilder("hikaricp.connections.active").ofLongs()
                    .buildWithCallback(m -> m.record(7, Attributes.of(AttributeKey.stringKey("pool"), "orders")));
            assertTrue(meters.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "the exporter was answered 2xx");
        }
        TestDaemon.eventually("hikaricp_connections_active of checkout is a SeriesState", () -> running.daemon.engine()
                .query(p -> p.engine().facts(SeriesState.class)).stream()
                .anyMatch(s -> s.name().equals("hikaricp_connections_active") && s.service().equals("checkout") && s.value() == 7));
    }

    @Test
    void logsFromTheSdkBecomeLogPatterns() throws Exception {
        try (SdkLoggerProvider logs = SdkLoggerProvider.builder().setResource(resource)
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(OtlpHttpLogRecordExporter.builder()
                        .setEndpoint(endpoint("/v1/logs")).build())).build()) {
            logs.get("test").logRecordBuilder().setSeverity(Severity.ERROR).setBody("connection to orders-db:5432 refused").emit();
            assertTrue(logs.forceFlush().join(10, TimeUnit.SECONDS).isSuccess());
        }
        TestDaemon.eventually("the ERROR record is a LogPatternRate of checkout on app-1", () -> running.daemon.engine()
                .query(p -> p.engine().facts(LogPatternRate.class)).stream()
                .anyMatch(l -> l.service().equals("checkout") && l.host().equals("app-1") && l.total() >= 1));
    }

    @Test
    void tracesFromTheSdkBecomeSpanStatsAndTopology() throws Exception {
        try (SdkTracerProvider traces = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder()
                        .setEndpoint(endpoint("/v1/traces")).build())).build()) {
            Span span = traces.get("test").spanBuilder("SELECT orders").setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT)
                    .setAttribute("db.system", "postgresql").setAttribute("server.address", "orders-db").startSpan();
            span.setStatus(StatusCode.ERROR);
            span.end();
            assertTrue(traces.forceFlush().join(10, TimeUnit.SECONDS).isSuccess());
        }
        TestDaemon.eventually("a client SpanStats of checkout calling orders-db", () -> running.daemon.engine()
                .query(p -> p.engine().facts(SpanStats.class)).stream()
                .anyMatch(s -> s.service().equals("checkout") && s.kind() == SpanKind.CLIENT && s.peer().equals("orders-db")));
        TestDaemon.eventually("checkout -> orders-db learned", () -> running.daemon.engine().topology().service("checkout")
                .map(s -> s.dependsOn().contains("orders-db")).orElse(false));
    }
}
