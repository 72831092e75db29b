package dev.vigil.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.util.JsonFormat;
import dev.vigil.ingest.OtlpDecoder.Encoding;
import dev.vigil.ingest.OtlpDecoder.Signal;
import dev.vigil.ingest.rpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpResponseTest {
    private static final Decoded PARTLY_REFUSED =
            new Decoded(List.of(), Map.of("delta_temporality", 3L, "label_value_too_long", 2L));
    private static final Decoded ALL_TAKEN = new Decoded(List.of(), Map.of());

    @Test
    void partialSuccessCarriesTheRefusedCountAndReasonsForEachSignal() throws Exception {
        ExportMetricsServiceResponse metrics =
                ExportMetricsServiceResponse.parseFrom(OtlpDecoder.response(Signal.METRICS, PARTLY_REFUSED, Encoding.PROTOBUF));
        ExportLogsServiceResponse logs =
                ExportLogsServiceResponse.parseFrom(OtlpDecoder.response(Signal.LOGS, PARTLY_REFUSED, Encoding.PROTOBUF));
        ExportTraceServiceResponse traces =
                ExportTraceServiceResponse.parseFrom(OtlpDecoder.response(Signal.TRACES, PARTLY_REFUSED, Encoding.PROTOBUF));

        assertEquals(5, metrics.getPartialSuccess().getRejectedDataPoints());
        assertEquals("delta_temporality: 3, label_value_too_long: 2", metrics.getPartialSuccess().getErrorMessage());
        assertEquals(5, logs.getPartialSuccess().getRejectedLogRecords());
        assertEquals("delta_temporality: 3, label_value_too_long: 2", logs.getPartialSuccess().getErrorMessage());
        assertEquals(5, traces.getPartialSuccess().getRejectedSpans());
        assertEquals("delta_temporality: 3, label_value_too_long: 2", traces.getPartialSuccess().getErrorMessage());
    }

    @Test
    void withNothingRefusedThereIsNoPartialSuccess() throws Exception {
        assertFalse(ExportMetricsServiceResponse.parseFrom(OtlpDecoder.response(Signal.METRICS, ALL_TAKEN, Encoding.PROTOBUF))
                .hasPartialSuccess());
        assertArrayEquals(new byte[0], OtlpDecoder.response(Signal.TRACES, ALL_TAKEN, Encoding.PROTOBUF));
        assertEquals("{}", new String(OtlpDecoder.response(Signal.LOGS, ALL_TAKEN, Encoding.JSON), StandardCharsets.UTF_8));
    }

    @Test
    void theJsonResponseUsesOtlpJsonFieldNames() throws Exception {
        String json = new String(OtlpDecoder.response(Signal.TRACES, PARTLY_REFUSED, Encoding.JSON), StandardCharsets.UTF_8);

        assertEquals("{\"partialSuccess\":{\"rejectedSpans\":\"5\","
                + "\"errorMessage\":\"delta_temporality: 3, label_value_too_long: 2\"}}", json);
        ExportTraceServiceResponse.Builder parsed = ExportTraceServiceResponse.newBuilder();
        JsonFormat.parser().merge(json, parsed);
        assertEquals(5, parsed.getPartialSuccess().getRejectedSpans());
    }

    @Test
    void anErrorIsAGoogleRpcStatusInEitherEncoding() throws Exception {
        Status status = Status.parseFrom(OtlpDecoder.errorStatus(3, "otlp traces: invalid protobuf body", Encoding.PROTOBUF));

        assertEquals(3, status.getCode());
        assertEquals("otlp traces: invalid protobuf body", status.getMessage());
        assertEquals("{\"code\":8,\"message\":\"queue full\"}",
                new String(OtlpDecoder.errorStatus(8, "queue full", Encoding.JSON), StandardCharsets.UTF_8));
    }

    @Test
    void contentTypesAreTheOnesOtlpHttpNames() {
        assertEquals("application/x-protobuf", OtlpDecoder.contentType(Encoding.PROTOBUF));
        assertEquals("application/json", OtlpDecoder.contentType(Encoding.JSON));
    }
}
