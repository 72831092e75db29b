package dev.vigil.ingest;

import com.google.protobuf.ByteString;
import dev.vigil.fact.SpanKind;
import dev.vigil.fact.SpanRecord;
import dev.vigil.fact.SpanStatus;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;

/** OTLP spans to {@link SpanRecord} facts; the mapping is described on {@link OtlpDecoder}. Stateless. */
final class OtlpSpans {
    private OtlpSpans() {
    }

    static Decoded decode(ExportTraceServiceRequest request, IngestLimits limits) throws PayloadTooLargeException {
        long spans = request.getResourceSpansList().stream().flatMap(r -> r.getScopeSpansList().stream())
                .mapToLong(ScopeSpans::getSpansCount).sum();
        if (spans > limits.maxItemsPerRequest()) {
            throw new PayloadTooLargeException("otlp traces: " + spans + " spans in one request, the limit is "
                    + limits.maxItemsPerRequest());
        }
        Decoded.Builder out = Decoded.builder();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            String service = OtlpResource.of(rs.getResource()).service();
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                ss.getSpansList().forEach(s -> span(s, service, limits, out));
            }
        }
        return out.build();
    }

    private static void span(Span s, String service, IngestLimits limits, Decoded.Builder out) {
        long start = s.getStartTimeUnixNano();
        long end = s.getEndTimeUnixNano();
        LabelCollector attributes = OtlpValues.attributes(s.getAttributesList());
        String reason = start <= 0 || end < start ? OtlpDecoder.INVALID_TIMESTAMP : attributes.violation(limits);
        if (reason != null) {
            out.reject(reason);
            return;
        }
        out.add(new SpanRecord(service, s.getName(), kind(s.getKind()), (end - start) / 1e6, status(s.getStatus().getCode()),
                hex(s.getTraceId()), hex(s.getSpanId()), hex(s.getParentSpanId()), attributes.asMap(), end / 1_000_000));
    }

    private static SpanKind kind(Span.SpanKind kind) {
        return switch (kind) {
            case SPAN_KIND_SERVER -> SpanKind.SERVER;
            case SPAN_KIND_CLIENT -> SpanKind.CLIENT;
            case SPAN_KIND_PRODUCER -> SpanKind.PRODUCER;
            case SPAN_KIND_CONSUMER -> SpanKind.CONSUMER;
            default -> SpanKind.INTERNAL; // INTERNAL, UNSPECIFIED and numbers from a newer spec
        };
    }

    private static SpanStatus status(Status.StatusCode code) {
        return switch (code) {
            case STATUS_CODE_OK -> SpanStatus.OK;
            case STATUS_CODE_ERROR -> SpanStatus.ERROR;
            default -> SpanStatus.UNSET;
        };
    }

    private static String hex(ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }
}
