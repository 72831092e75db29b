package dev.vigil.ingest;

import com.google.protobuf.Message;
import dev.vigil.ingest.rpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/**
 * Decodes OTLP/HTTP export requests ({@code /v1/metrics}, {@code /v1/logs}, {@code /v1/traces}, binary protobuf or
 * OTLP/JSON) into facts, and encodes the answers. Pure and stateless, so thread-safe.
 *
 * <p>A body that cannot be read (truncated protobuf, invalid UTF-8 in a string, malformed JSON, a trace or span id
 * that is not hex in JSON, an integer that cannot be one) refuses the whole request. OTLP/JSON is read as the spec
 * writes it (lowerCamelCase or snake_case names, enums as names or numbers, 64-bit integers as strings or numbers,
 * ids as hex, unknown fields ignored); see {@link OtlpJson} for why integers are checked before JsonFormat sees
 * them. Otherwise each data point, log record or span stands alone: one
 * that breaks a limit or cannot be mapped is counted under a reason and the others are kept. Label and attribute
 * limits are those of {@link LabelCheck}, plus {@code duplicate_label} for a name given twice and
 * {@code invalid_label_name} for an empty one; a request that would make more than
 * {@link IngestLimits#maxItemsPerRequest()} facts is refused whole.
 *
 * <h2>Metrics, after Prometheus's OTLP translation, loosely</h2>
 * <ul>
 *   <li>Names: metric names and attribute keys are normalised alike: every code point outside {@code [a-zA-Z0-9_]}
 *       becomes {@code _} (so {@code http.server.duration} becomes {@code http_server_duration}), and a leading
 *       digit gets a {@code _} prefix. Runs of {@code _} are not collapsed and <b>no unit suffix is added</b>
 *       ({@code _seconds}, {@code _bytes}, …): the name is the instrument's name. Scope name and version are not
 *       made labels.</li>
 *   <li>Labels: the point's attributes (empty values dropped, as Prometheus treats them as absent), then from the
 *       resource {@code job} = {@code service.namespace/service.name} (or {@code service.name}), {@code instance} =
 *       {@code service.instance.id} (else {@code host.name}) and {@code host} = {@code host.name}; these three win
 *       over attributes of the same name. Two attributes that normalise to the same name refuse the point as
 *       {@code duplicate_label} (Prometheus would join the values with {@code ;}). The {@code le} and
 *       {@code quantile} labels Vigil adds are not counted against the label limit.</li>
 *   <li>Gauge: GAUGE. Sum: monotonic becomes a COUNTER named with {@code _total} appended unless already there;
 *       non-monotonic a GAUGE under its own name.</li>
 *   <li>Histogram: {@code NAME_count}, {@code NAME_sum} (when sent) and {@code NAME_bucket{le="…"}} counters, the
 *       bucket counts made cumulative, {@code le} written as Prometheus writes floats ({@code 0.5}, {@code 1}) and
 *       {@code +Inf} last. Exponential histogram: {@code NAME_count} and {@code NAME_sum} only. Summary:
 *       {@code NAME_count} and {@code NAME_sum} counters and {@code NAME{quantile="…"}} gauges.</li>
 *   <li>Temporality: only cumulative sums and histograms are kept; delta points are refused as
 *       {@code delta_temporality} and unspecified ones as {@code unspecified_temporality}, because Vigil keeps
 *       cumulative state only.</li>
 *   <li>A point flagged "no recorded value" is skipped, not refused (Prometheus writes a stale marker for it). A
 *       number point with no value is refused as {@code missing_value}; a histogram whose bucket counts do not match
 *       its bounds as {@code invalid_histogram}. Exemplars are ignored.</li>
 * </ul>
 *
 * <h2>Logs</h2>
 * Service and host from {@code service.name} and {@code host.name} ("" when absent); severity from the severity
 * number (1–4 TRACE, 5–8 DEBUG, 9–12 INFO, 13–16 WARN, 17–20 ERROR, 21–24 FATAL), else from the severity text when it
 * names a level, else INFO; the body as text (non-string values rendered as the collector does: JSON for arrays and
 * maps, base64 for bytes); the record's attributes as text; the time is {@code time_unix_nano}, else
 * {@code observed_time_unix_nano}. A body over {@link IngestLimits#maxLogBodyBytes()} is cut at a UTF-8 boundary and
 * marked {@code vigil.truncated=true}; that is not a refusal.
 *
 * <h2>Traces</h2>
 * Service from {@code service.name}; kind (UNSPECIFIED becomes INTERNAL); status ERROR, OK, else UNSET; ids as
 * lower-case hex ("" when empty); the span's own attributes only (resource attributes are not copied onto spans);
 * the time is the end time. A span without a start time or ending before it starts is refused as
 * {@code invalid_timestamp}, as is a data point or log record without a time: a pure decoder has no clock to stamp it.
 */
public final class OtlpDecoder {
    static final String INVALID_TIMESTAMP = "invalid_timestamp";

    /** The two OTLP/HTTP encodings. */
    public enum Encoding {
        PROTOBUF,
        JSON
    }

    /** The three signals, one per OTLP/HTTP path. */
    public enum Signal {
        METRICS,
        LOGS,
        TRACES
    }

    private OtlpDecoder() {
    }

    public static Decoded metrics(byte[] body, Encoding encoding, IngestLimits limits) throws BadPayloadException {
        ExportMetricsServiceRequest request =
                OtlpCodec.parse(body, encoding, ExportMetricsServiceRequest.getDefaultInstance(), "otlp metrics");
        return OtlpMetrics.decode(request, limits);
    }

    public static Decoded logs(byte[] body, Encoding encoding, IngestLimits limits) throws BadPayloadException {
        ExportLogsServiceRequest request =
                OtlpCodec.parse(body, encoding, ExportLogsServiceRequest.getDefaultInstance(), "otlp logs");
        return OtlpLogs.decode(request, limits);
    }

    public static Decoded traces(byte[] body, Encoding encoding, IngestLimits limits) throws BadPayloadException {
        ExportTraceServiceRequest request =
                OtlpCodec.parse(body, encoding, ExportTraceServiceRequest.getDefaultInstance(), "otlp traces");
        return OtlpSpans.decode(request, limits);
    }

    /**
     * The success body for a decoded request: the signal's export response, with {@code partial_success} (the refused
     * count and {@link Decoded#rejectedSummary()} as the message) only when something was refused.
     */
    public static byte[] response(Signal signal, Decoded decoded, Encoding encoding) {
        long rejected = decoded.rejectedCount();
        String message = decoded.rejectedSummary();
        Message response = switch (signal) {
            case METRICS -> {
                ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
                if (rejected > 0) {
                    b.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                            .setRejectedDataPoints(rejected).setErrorMessage(message));
                }
                yield b.build();
            }
            case LOGS -> {
                ExportLogsServiceResponse.Builder b = ExportLogsServiceResponse.newBuilder();
                if (rejected > 0) {
                    b.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
                            .setRejectedLogRecords(rejected).setErrorMessage(message));
                }
                yield b.build();
            }
            case TRACES -> {
                ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
                if (rejected > 0) {
                    b.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                            .setRejectedSpans(rejected).setErrorMessage(message));
                }
                yield b.build();
            }
        };
        return OtlpCodec.print(response, encoding);
    }

    /** The body OTLP/HTTP wants with a 4xx or 5xx status: a {@code google.rpc.Status} with a gRPC code and message. */
    public static byte[] errorStatus(int grpcCode, String message, Encoding encoding) {
        return OtlpCodec.print(Status.newBuilder().setCode(grpcCode).setMessage(message).build(), encoding);
    }

    public static String contentType(Encoding encoding) {
        return switch (encoding) {
            case PROTOBUF -> "application/x-protobuf";
            case JSON -> "application/json";
        };
    }
}
