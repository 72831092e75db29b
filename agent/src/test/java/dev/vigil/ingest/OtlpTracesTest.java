package dev.vigil.ingest;

import static dev.vigil.ingest.OtlpFixtures.T0;
import static dev.vigil.ingest.OtlpFixtures.T0_MS;
import static dev.vigil.ingest.OtlpFixtures.kv;
import static dev.vigil.ingest.OtlpFixtures.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.vigil.fact.SpanKind;
import dev.vigil.fact.SpanRecord;
import dev.vigil.fact.SpanStatus;
import dev.vigil.ingest.OtlpDecoder.Encoding;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OtlpTracesTest {
    private static final String TRACE = "5b8efff798038103d269b633813fc60c";
    private static final String SPAN = "eee19b7ec3c1b174";
    private static final String PARENT = "ad2f2b1e9c3a4f10";

    /** The same two spans as {@link #JSON}, built with the generated classes. */
    private static final ExportTraceServiceRequest PROTO = ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(ResourceSpans.newBuilder()
                    .setResource(resource(kv("service.name", "checkout"), kv("host.name", "node-3")))
                    .addScopeSpans(ScopeSpans.newBuilder()
                            .addSpans(Span.newBuilder().setTraceId(id(TRACE)).setSpanId(id(SPAN)).setParentSpanId(id(PARENT))
                                    .setName("POST /pay").setKind(Span.SpanKind.SPAN_KIND_SERVER)
                                    .setStartTimeUnixNano(T0).setEndTimeUnixNano(T0 + 250_500_000)
                                    .addAttributes(kv("http.response.status_code", AnyValue.newBuilder().setIntValue(500).build()))
                                    .addAttributes(kv("tags", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                                            .addValues(AnyValue.newBuilder().setStringValue("a"))
                                            .addValues(AnyValue.newBuilder().setDoubleValue(1.5))).build()))
                                    .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)))
                            .addSpans(Span.newBuilder().setTraceId(id(TRACE)).setSpanId(id(PARENT))
                                    .setName("SELECT orders").setKind(Span.SpanKind.SPAN_KIND_UNSPECIFIED)
                                    .setStartTimeUnixNano(T0).setEndTimeUnixNano(T0 + 2_000_000)
                                    .addAttributes(kv("db.system", "postgresql")))))
            .build();

    private static final String JSON = """
            {"resourceSpans":[{"resource":{"attributes":[
                {"key":"service.name","value":{"stringValue":"checkout"}},
                {"key":"host.name","value":{"stringValue":"node-3"}}]},
              "scopeSpans":[{"scope":{"name":"io.opentelemetry.servlet"},"spans":[
                {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174","parentSpanId":"ad2f2b1e9c3a4f10",
                 "name":"POST /pay","kind":2,"startTimeUnixNano":"1704067200000000000","endTimeUnixNano":"1704067200250500000",
                 "attributes":[{"key":"http.response.status_code","value":{"intValue":"500"}},
                               {"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"doubleValue":1.5}]}}}],
                 "status":{"code":2},"flags":257,"futureField":{"x":1}},
                {"trace_id":"5b8efff798038103d269b633813fc60c","span_id":"ad2f2b1e9c3a4f10","parent_span_id":"",
                 "name":"SELECT orders","kind":0,"start_time_unix_nano":1704067200000000000,"end_time_unix_nano":1704067200002000000,
                 "attributes":[{"key":"db.system","value":{"string_value":"postgresql"}}]}]}]}]}
            """;

    @Test
    void spansMapToRecordsWithHexIdsKindStatusDurationAndTheirOwnAttributes() throws Exception {
        Decoded decoded = OtlpDecoder.traces(PROTO.toByteArray(), Encoding.PROTOBUF, IngestLimits.DEFAULTS);

        assertEquals(List.of(
                new SpanRecord("checkout", "POST /pay", SpanKind.SERVER, 250.5, SpanStatus.ERROR, TRACE, SPAN, PARENT,
                        Map.of("http.response.status_code", "500", "tags", "[\"a\",1.5]"), T0_MS + 250),
                new SpanRecord("checkout", "SELECT orders", SpanKind.INTERNAL, 2.0, SpanStatus.UNSET, TRACE, PARENT, "",
                        Map.of("db.system", "postgresql"), T0_MS + 2)),
                decoded.items(), "service.name and host.name stay off the span attributes");
    }

    @Test
    void otlpJsonWithHexIdsDecodesToTheSameSpansAsProtobuf() throws Exception {
        Decoded fromJson = OtlpDecoder.traces(JSON.getBytes(StandardCharsets.UTF_8), Encoding.JSON, IngestLimits.DEFAULTS);
        Decoded fromProto = OtlpDecoder.traces(PROTO.toByteArray(), Encoding.PROTOBUF, IngestLimits.DEFAULTS);

        assertEquals(fromProto.items(), fromJson.items());
        assertEquals(2, fromJson.items().size());
    }

    @Test
    void anIdThatIsNotHexRefusesTheJsonRequest() {
        byte[] body = JSON.replace("eee19b7ec3c1b174", "7uGbfsPBsXQ=").getBytes(StandardCharsets.UTF_8);

        BadPayloadException e = assertThrows(BadPayloadException.class,
                () -> OtlpDecoder.traces(body, Encoding.JSON, IngestLimits.DEFAULTS));

        assertTrue(e.getMessage().contains("spanId is not hex"), e.getMessage());
    }

    @Test
    void invalidUtf8InAProtobufStringRefusesTheRequest() {
        byte[] body = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName("MARK")
                        .setStartTimeUnixNano(T0).setEndTimeUnixNano(T0)))).build().toByteArray();
        int at = indexOf(body, "MARK".getBytes(StandardCharsets.UTF_8));
        body[at + 1] = (byte) 0xC3; // a lead byte followed by 'R': not UTF-8
        byte[] invalid = body;

        BadPayloadException e = assertThrows(BadPayloadException.class,
                () -> OtlpDecoder.traces(invalid, Encoding.PROTOBUF, IngestLimits.DEFAULTS));

        assertTrue(e.getMessage().startsWith("otlp traces: invalid protobuf body") && e.getMessage().contains("UTF-8"),
                e.getMessage());
    }

    @Test
    void invalidUtf8OrMalformedJsonRefusesTheRequest() {
        byte[] invalidUtf8 = JSON.replace("POST /pay", "POST \u0000pay").getBytes(StandardCharsets.UTF_8);
        invalidUtf8[indexOf(invalidUtf8, new byte[] {0})] = (byte) 0xFF;

        for (byte[] body : List.of(invalidUtf8, "{\"resourceSpans\":[".getBytes(), "[]".getBytes(), new byte[0],
                "{} {}".getBytes(), "{\"resourceSpans\":{}}".getBytes())) {
            BadPayloadException e = assertThrows(BadPayloadException.class,
                    () -> OtlpDecoder.traces(body, Encoding.JSON, IngestLimits.DEFAULTS), new String(body));
            assertTrue(e.getMessage().startsWith("otlp traces: "), e.getMessage());
        }
    }

    @Test
    void aSpanOverAnAttributeLimitOrWithoutTimesIsRefusedAloneByReason() throws Exception {
        IngestLimits limits = new IngestLimits(1 << 20, 1 << 20, 2, 16, 64, 1024, 100);
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder()
                        .addSpans(span("ok", kv("a", "1")))
                        .addSpans(span("many", kv("a", "1"), kv("b", "2"), kv("c", "3")))
                        .addSpans(span("dup", kv("a", "1"), kv("a", "2")))
                        .addSpans(span("long name", kv("a".repeat(17), "1")))
                        .addSpans(span("long value", kv("a", "€".repeat(22))))
                        .addSpans(span("no start").toBuilder().setStartTimeUnixNano(0))
                        .addSpans(span("ends first").toBuilder().setEndTimeUnixNano(T0 - 1)))).build();

        Decoded decoded = OtlpDecoder.traces(request.toByteArray(), Encoding.PROTOBUF, limits);

        assertEquals(List.of("ok"), decoded.items().stream().map(t -> ((SpanRecord) t).name()).toList());
        assertEquals(Map.of("too_many_labels", 1L, "duplicate_label", 1L, "label_name_too_long", 1L,
                "label_value_too_long", 1L, "invalid_timestamp", 2L), decoded.rejected());
    }

    @Test
    void moreSpansThanTheRequestLimitRefusesTheRequest() {
        IngestLimits limits = new IngestLimits(1 << 20, 1 << 20, 64, 256, 4096, 1024, 1);

        assertThrows(PayloadTooLargeException.class, () -> OtlpDecoder.traces(PROTO.toByteArray(), Encoding.PROTOBUF, limits));
    }

    @Test
    void randomBytesOnlyEverRaiseBadPayload() {
        Random random = new Random(7);
        byte[] valid = PROTO.toByteArray();
        for (int i = 0; i < 300; i++) {
            byte[] body = valid.clone();
            for (int flips = 0; flips < 3; flips++) {
                body[random.nextInt(body.length)] = (byte) random.nextInt(256);
            }
            Encoding encoding = i % 2 == 0 ? Encoding.PROTOBUF : Encoding.JSON;
            try {
                OtlpDecoder.traces(encoding == Encoding.JSON ? mutateJson(random) : body, encoding, IngestLimits.DEFAULTS);
            } catch (BadPayloadException expected) {
                // refused cleanly: what untrusted input may cause
            }
        }
    }

    private static byte[] mutateJson(Random random) {
        byte[] body = JSON.getBytes(StandardCharsets.UTF_8);
        body[random.nextInt(body.length)] = (byte) (32 + random.nextInt(95));
        return body;
    }

    private static Span span(String name, KeyValue... attributes) {
        return Span.newBuilder().setName(name).setStartTimeUnixNano(T0).setEndTimeUnixNano(T0 + 1_000_000)
                .addAllAttributes(List.of(attributes)).build();
    }

    private static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
