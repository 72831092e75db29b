package dev.vigil.ingest;

import static dev.vigil.ingest.OtlpFixtures.T0;
import static dev.vigil.ingest.OtlpFixtures.T0_MS;
import static dev.vigil.ingest.OtlpFixtures.kv;
import static dev.vigil.ingest.OtlpFixtures.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.fact.LogRecord;
import dev.vigil.fact.Severity;
import dev.vigil.ingest.OtlpDecoder.Encoding;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtlpLogsTest {
    private static final Resource CHECKOUT = resource(kv("service.name", "checkout"), kv("host.name", "node-3"),
            kv("service.version", "1.2"));

    @Test
    void aRecordTakesServiceHostSeverityBodyAttributesAndTime() throws Exception {
        ExportLogsServiceRequest request = request(CHECKOUT, record("connection refused")
                .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR2).setSeverityText("whatever")
                .addAttributes(kv("db.name", "orders"))
                .addAttributes(kv("retries", AnyValue.newBuilder().setIntValue(3).build())).build());

        assertEquals(List.of(new LogRecord("checkout", "node-3", Severity.ERROR, "connection refused",
                        Map.of("db.name", "orders", "retries", "3"), T0_MS)),
                decode(request, IngestLimits.DEFAULTS).items());
    }

    @ParameterizedTest(name = "number {0}, text \"{1}\" -> {2}")
    @CsvSource({"1, '', TRACE", "4, '', TRACE", "5, '', DEBUG", "9, '', INFO", "12, '', INFO", "13, '', WARN",
            "17, ERROR, ERROR", "20, '', ERROR", "21, '', FATAL", "24, '', FATAL",
            "0, warning, WARN", "0, CRITICAL, FATAL", "0, chatty, INFO", "0, '', INFO", "25, Error, ERROR"})
    void severityComesFromTheNumberElseANamedTextElseInfo(int number, String text, Severity expected) {
        assertEquals(expected, OtlpLogs.severity(number, text));
    }

    @Test
    void withoutATimeTheObservedTimeIsUsedAndWithNeitherTheRecordIsRefused() throws Exception {
        ExportLogsServiceRequest request = request(CHECKOUT,
                record("observed").setTimeUnixNano(0).setObservedTimeUnixNano(T0 + 5_000_000).build(),
                record("timeless").setTimeUnixNano(0).build());

        Decoded decoded = decode(request, IngestLimits.DEFAULTS);

        assertEquals(List.of(T0_MS + 5), decoded.items().stream().map(t -> t.timeMillis()).toList());
        assertEquals(Map.of("invalid_timestamp", 1L), decoded.rejected());
    }

    @Test
    void aLongBodyIsCutAtACharacterBoundaryAndMarkedNotRefused() throws Exception {
        IngestLimits limits = new IngestLimits(1 << 20, 1 << 20, 64, 256, 4096, 10, 100);
        ExportLogsServiceRequest request = request(Resource.getDefaultInstance(), record("abcdefghi€xyz").build());

        Decoded decoded = decode(request, limits);

        LogRecord log = (LogRecord) decoded.items().get(0);
        assertEquals("abcdefghi", log.body(), "the 3-byte € would end at byte 12");
        assertEquals(Map.of("vigil.truncated", "true"), log.attributes());
        assertEquals("", log.service());
        assertEquals("", log.host());
        assertEquals(0, decoded.rejectedCount());
    }

    @Test
    void aStructuredBodyIsRenderedAsJson() throws Exception {
        AnyValue body = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(kv("event", "login")).addValues(kv("ok", AnyValue.newBuilder().setBoolValue(false).build()))).build();
        ExportLogsServiceRequest request = request(CHECKOUT, record("").setBody(body).build());

        assertEquals("{\"event\":\"login\",\"ok\":false}", ((LogRecord) decode(request, IngestLimits.DEFAULTS).items().get(0)).body());
    }

    @Test
    void aRecordOverAnAttributeLimitIsRefusedAlone() throws Exception {
        IngestLimits limits = new IngestLimits(1 << 20, 1 << 20, 64, 256, 16, 1024, 100);
        ExportLogsServiceRequest request = request(CHECKOUT, record("kept").build(),
                record("refused").addAttributes(kv("sql", "SELECT * FROM orders")).build());

        Decoded decoded = decode(request, limits);

        assertEquals(List.of("kept"), decoded.items().stream().map(t -> ((LogRecord) t).body()).toList());
        assertEquals(Map.of("label_value_too_long", 1L), decoded.rejected());
    }

    @Test
    void moreRecordsThanTheRequestLimitRefusesTheRequest() {
        IngestLimits limits = new IngestLimits(1 << 20, 1 << 20, 64, 256, 4096, 1024, 1);
        ExportLogsServiceRequest request = request(CHECKOUT, record("a").build(), record("b").build());

        assertThrows(PayloadTooLargeException.class, () -> decode(request, limits));
    }

    private static io.opentelemetry.proto.logs.v1.LogRecord.Builder record(String body) {
        return io.opentelemetry.proto.logs.v1.LogRecord.newBuilder().setTimeUnixNano(T0)
                .setBody(AnyValue.newBuilder().setStringValue(body));
    }

    private static ExportLogsServiceRequest request(Resource resource, io.opentelemetry.proto.logs.v1.LogRecord... records) {
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().setResource(resource)
                .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records)))).build();
    }

    private static Decoded decode(ExportLogsServiceRequest request, IngestLimits limits) throws BadPayloadException {
        return OtlpDecoder.logs(request.toByteArray(), Encoding.PROTOBUF, limits);
    }
}
