package dev.vigil.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;

/**
 * Builds OTLP/HTTP protobuf bodies (metrics, logs, traces) as an OpenTelemetry SDK batch exporter sends them:
 * records grouped by the resource (service, host) that produced them. Stateless; thread-safe.
 */
public final class OtlpBodies {
    /** Services a request's records come from; each is one resource. */
    static final int SERVICES = 8;
    private static final String[] LOG_LINES = {
        "GET /api/orders/%d 200 in %d ms", "user %d signed in from 10.0.%d.7", "cache miss for key product:%d (%d ms)",
        "published event order.created id=%d partition=%d", "slow query took %d ms: SELECT * FROM items WHERE id = %d",
        "retrying request %d after timeout (attempt %d)"};

    private OtlpBodies() {
    }

    /** {@code count} gauge points of series {@code [from, from+count)} of {@code series}, one metric each. */
    public static byte[] metrics(SeriesSet series, int from, int count, long timeMillis) {
        ExportMetricsServiceRequest.Builder req = ExportMetricsServiceRequest.newBuilder();
        ScopeMetrics.Builder[] scopes = new ScopeMetrics.Builder[SERVICES];
        for (int k = 0; k < count; k++) {
            int i = from + k;
            NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setTimeUnixNano(timeMillis * 1_000_000)
                    .setAsDouble(series.value(i));
            for (String[] l : series.labels(i)) {
                p.addAttributes(kv(l[0], l[1]));
            }
            scope(scopes, i).addMetrics(Metric.newBuilder().setName(series.name(i)).setGauge(Gauge.newBuilder().addDataPoints(p)));
        }
        for (int s = 0; s < SERVICES; s++) {
            if (scopes[s] != null) {
                req.addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource(s)).addScopeMetrics(scopes[s]));
            }
        }
        return req.build().toByteArray();
    }

    private static ScopeMetrics.Builder scope(ScopeMetrics.Builder[] scopes, int i) {
        int s = i % SERVICES;
        if (scopes[s] == null) {
            scopes[s] = ScopeMetrics.newBuilder();
        }
        return scopes[s];
    }

    /** {@code count} log records numbered from {@code seq}: everyday lines, one in a hundred a warning. */
    public static byte[] logs(long seq, int count, long timeMillis) {
        ScopeLogs.Builder[] scopes = new ScopeLogs.Builder[SERVICES];
        for (int k = 0; k < count; k++) {
            long n = seq + k;
            int s = (int) (n % SERVICES);
            if (scopes[s] == null) {
                scopes[s] = ScopeLogs.newBuilder();
            }
            boolean warn = n % 100 == 0;
            String line = String.format(LOG_LINES[(int) (n % LOG_LINES.length)], n % 100_000, n % 97);
            scopes[s].addLogRecords(LogRecord.newBuilder().setTimeUnixNano(timeMillis * 1_000_000)
                    .setSeverityNumber(warn ? SeverityNumber.SEVERITY_NUMBER_WARN : SeverityNumber.SEVERITY_NUMBER_INFO)
                    .setSeverityText(warn ? "WARN" : "INFO").setBody(AnyValue.newBuilder().setStringValue(line)));
        }
        ExportLogsServiceRequest.Builder req = ExportLogsServiceRequest.newBuilder();
        for (int s = 0; s < SERVICES; s++) {
            if (scopes[s] != null) {
                req.addResourceLogs(ResourceLogs.newBuilder().setResource(resource(s)).addScopeLogs(scopes[s]));
            }
        }
        return req.build().toByteArray();
    }

    /** {@code count} spans numbered from {@code seq}: server spans and client calls to a neighbour, a few errors. */
    public static byte[] traces(long seq, int count, long timeMillis) {
        ScopeSpans.Builder[] scopes = new ScopeSpans.Builder[SERVICES];
        long startNanos = timeMillis * 1_000_000;
        for (int k = 0; k < count; k++) {
            long n = seq + k;
            int s = (int) (n % SERVICES);
            if (scopes[s] == null) {
                scopes[s] = ScopeSpans.newBuilder();
            }
            boolean client = n % 3 == 0;
            Span.Builder span = Span.newBuilder().setTraceId(id(16, n)).setSpanId(id(8, n)).setName(client ? "SELECT items" : "GET /api/orders")
                    .setKind(client ? Span.SpanKind.SPAN_KIND_CLIENT : Span.SpanKind.SPAN_KIND_SERVER)
                    .setStartTimeUnixNano(startNanos).setEndTimeUnixNano(startNanos + (1 + n % 40) * 1_000_000)
                    .setStatus(Status.newBuilder().setCode(n % 200 == 0 ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_OK));
            if (client) {
                span.addAttributes(kv("peer.service", "service-" + ((s + 1) % SERVICES)));
            }
            scopes[s].addSpans(span);
        }
        ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
        for (int s = 0; s < SERVICES; s++) {
            if (scopes[s] != null) {
                req.addResourceSpans(ResourceSpans.newBuilder().setResource(resource(s)).addScopeSpans(scopes[s]));
            }
        }
        return req.build().toByteArray();
    }

    private static Resource resource(int service) {
        return Resource.newBuilder().addAttributes(kv("service.name", "service-" + service))
                .addAttributes(kv("host.name", "host-" + service)).build();
    }

    private static ByteString id(int bytes, long n) {
        ByteBuffer b = ByteBuffer.allocate(bytes);
        b.putLong(bytes - 8, n + 1); // never all zeros, which OTLP calls invalid
        return ByteString.copyFrom(b.array());
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
