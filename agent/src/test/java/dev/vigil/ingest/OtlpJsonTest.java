package dev.vigil.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.MetricSample;
import dev.vigil.fact.SpanKind;
import dev.vigil.fact.SpanRecord;
import dev.vigil.ingest.OtlpDecoder.Encoding;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OTLP/JSON as senders write it, and as attackers might. */
class OtlpJsonTest {
    private static final String GAUGE = """
            {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[
              {"timeUnixNano":TIME,"asInt":VALUE}]}}]}]}]}
            """;

    @ParameterizedTest(name = "timeUnixNano {0}")
    @ValueSource(strings = {"\"1e99999999\"", "1e99999999", "\"1e-99999999\"", "\"-1e99999999\"", "\"1.5\"",
            "\"18446744073709551616000\"", "\"not a number\""})
    void anIntegerThatIsHugeFractionalOrNotANumberIsRefusedAtOnce(String time) {
        byte[] body = GAUGE.replace("TIME", time).replace("VALUE", "1").getBytes(StandardCharsets.UTF_8);

        BadPayloadException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(BadPayloadException.class,
                () -> OtlpDecoder.metrics(body, Encoding.JSON, IngestLimits.DEFAULTS)));

        assertTrue(e.getMessage().startsWith("otlp metrics: "), e.getMessage());
    }

    @Test
    void zeroWithAHugeExponentIsReadAtOnceAsZero() throws Exception {
        byte[] body = GAUGE.replace("TIME", "\"0e-99999999\"").replace("VALUE", "1").getBytes(StandardCharsets.UTF_8);

        Decoded decoded = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> OtlpDecoder.metrics(body, Encoding.JSON, IngestLimits.DEFAULTS));

        assertEquals(Map.of("invalid_timestamp", 1L), decoded.rejected(), "a point at time zero has no time");
    }

    @Test
    void aNumberStringOfMegabytesIsRefusedWithoutParsingIt() {
        byte[] body = GAUGE.replace("TIME", "\"1" + "0".repeat(4 << 20) + "\"").replace("VALUE", "1")
                .getBytes(StandardCharsets.UTF_8);

        BadPayloadException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(BadPayloadException.class,
                () -> OtlpDecoder.metrics(body, Encoding.JSON, IngestLimits.DEFAULTS)));

        assertTrue(e.getMessage().contains("timeUnixNano is not an integer"), e.getMessage());
    }

    @Test
    void deeplyNestedValuesAreRefusedNotOverflowingTheStack() {
        String nested = "{\"arrayValue\":{\"values\":[".repeat(400) + "{}" + "]}}".repeat(400);
        byte[] body = ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"1\",\"body\":"
                + nested + "}]}]}]}").getBytes(StandardCharsets.UTF_8);

        assertThrows(BadPayloadException.class, () -> OtlpDecoder.logs(body, Encoding.JSON, IngestLimits.DEFAULTS));
    }

    @Test
    void integersMayBeNumbersStringsOrWrittenWithAnExponent() throws Exception {
        for (String[] timeAndValue : List.of(new String[] {"1704067200000000000", "7"},
                new String[] {"\"1704067200000000000\"", "\"7\""}, new String[] {"1.7040672e18", "7.0"})) {
            byte[] body = GAUGE.replace("TIME", timeAndValue[0]).replace("VALUE", timeAndValue[1]).getBytes(StandardCharsets.UTF_8);

            MetricSample sample = (MetricSample) OtlpDecoder.metrics(body, Encoding.JSON, IngestLimits.DEFAULTS).items().get(0);

            assertEquals(7, sample.value());
            assertEquals(1_704_067_200_000L, sample.timeMillis());
        }
    }

    @Test
    void enumsMayBeNamesOrNumbersAndFieldsLowerCamelCaseOrSnakeCase() throws Exception {
        String json = """
                {"resource_spans":[{"scope_spans":[{"spans":[
                  {"trace_id":"0af7651916cd43dd8448eb211c80319c","name":"a","kind":"SPAN_KIND_CLIENT",
                   "start_time_unix_nano":"1","end_time_unix_nano":"2000001"},
                  {"traceId":"0af7651916cd43dd8448eb211c80319c","name":"b","kind":"3",
                   "startTimeUnixNano":1,"endTimeUnixNano":2000001}]}]}]}
                """;

        List<SpanRecord> spans = OtlpDecoder.traces(json.getBytes(StandardCharsets.UTF_8), Encoding.JSON, IngestLimits.DEFAULTS)
                .items().stream().map(SpanRecord.class::cast).toList();

        assertEquals(List.of(SpanKind.CLIENT, SpanKind.CLIENT), spans.stream().map(SpanRecord::kind).toList());
        assertEquals(List.of("0af7651916cd43dd8448eb211c80319c", "0af7651916cd43dd8448eb211c80319c"),
                spans.stream().map(SpanRecord::traceId).toList());
        assertEquals(2.0, spans.get(1).durationMs());
    }

    @Test
    void bytesValuesInAttributesStayBase64AsTheSpecSays() throws Exception {
        String json = """
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"00f067aa0ba902b7","name":"a",
                  "startTimeUnixNano":"1","endTimeUnixNano":"2",
                  "attributes":[{"key":"blob","value":{"bytesValue":"3q2+7w=="}}]}]}]}]}
                """;

        SpanRecord span = (SpanRecord) OtlpDecoder.traces(json.getBytes(StandardCharsets.UTF_8), Encoding.JSON,
                IngestLimits.DEFAULTS).items().get(0);

        assertEquals("00f067aa0ba902b7", span.spanId());
        assertEquals("3q2+7w==", span.attributes().get("blob"));
    }
}
