package dev.vigil.ingest;

import dev.vigil.fact.LogRecord;
import dev.vigil.fact.Severity;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** OTLP log records to {@link LogRecord} facts; the mapping is described on {@link OtlpDecoder}. Stateless. */
final class OtlpLogs {
    private OtlpLogs() {
    }

    static Decoded decode(ExportLogsServiceRequest request, IngestLimits limits) throws PayloadTooLargeException {
        long records = request.getResourceLogsList().stream().flatMap(r -> r.getScopeLogsList().stream())
                .mapToLong(ScopeLogs::getLogRecordsCount).sum();
        if (records > limits.maxItemsPerRequest()) {
            throw new PayloadTooLargeException("otlp logs: " + records + " log records in one request, the limit is "
                    + limits.maxItemsPerRequest());
        }
        Decoded.Builder out = Decoded.builder();
        for (ResourceLogs rl : request.getResourceLogsList()) {
            OtlpResource resource = OtlpResource.of(rl.getResource());
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                sl.getLogRecordsList().forEach(r -> record(r, resource, limits, out));
            }
        }
        return out.build();
    }

    private static void record(io.opentelemetry.proto.logs.v1.LogRecord r, OtlpResource resource, IngestLimits limits,
                               Decoded.Builder out) {
        long unixNano = r.getTimeUnixNano() != 0 ? r.getTimeUnixNano() : r.getObservedTimeUnixNano();
        LabelCollector attributes = OtlpValues.attributes(r.getAttributesList());
        String reason = unixNano <= 0 ? OtlpDecoder.INVALID_TIMESTAMP : attributes.violation(limits);
        if (reason != null) {
            out.reject(reason);
            return;
        }
        Map<String, String> kept = attributes.asMap();
        String body = OtlpValues.text(r.getBody());
        if (Utf8Bytes.byteLength(body) > limits.maxLogBodyBytes()) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            body = new String(bytes, 0, Utf8Bytes.cut(bytes, 0, bytes.length, limits.maxLogBodyBytes()), StandardCharsets.UTF_8);
            kept.put(LabelCheck.TRUNCATED, "true");
        }
        Severity severity = severity(r.getSeverityNumberValue(), r.getSeverityText());
        out.add(new LogRecord(resource.service(), resource.host(), severity, body, kept, unixNano / 1_000_000));
    }

    /** OTLP severity numbers come in blocks of four per level; without one, the text decides, else INFO. */
    static Severity severity(int number, String text) {
        if (number >= 1 && number <= 24) {
            return switch ((number - 1) / 4) {
                case 0 -> Severity.TRACE;
                case 1 -> Severity.DEBUG;
                case 2 -> Severity.INFO;
                case 3 -> Severity.WARN;
                case 4 -> Severity.ERROR;
                default -> Severity.FATAL;
            };
        }
        Severity named = Severity.parse(text);
        return named != null ? named : Severity.INFO;
    }
}
