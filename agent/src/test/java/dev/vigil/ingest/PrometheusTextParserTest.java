package dev.vigil.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.fact.Labels;
import dev.vigil.fact.MetricSample;
import dev.vigil.fact.MetricType;
import dev.vigil.fact.Telemetry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextParserTest {
    private static final Labels TARGET = Labels.of("job", "node", "instance", "web-1:9100");
    private static final long T = 1_700_000_000_000L;

    /** Lines as node_exporter 1.5 writes them (HELP and TYPE per family; summary, counter, gauge, untyped). */
    static final String NODE_EXPORTER = """
            # HELP go_gc_duration_seconds A summary of the pause duration of garbage collection cycles.
            # TYPE go_gc_duration_seconds summary
            go_gc_duration_seconds{quantile="0"} 2.4e-05
            go_gc_duration_seconds{quantile="1"} 0.000131
            go_gc_duration_seconds_sum 0.000412
            go_gc_duration_seconds_count 5
            # HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.
            # TYPE node_cpu_seconds_total counter
            node_cpu_seconds_total{cpu="0",mode="idle"} 3513.87
            node_cpu_seconds_total{cpu="0",mode="user"} 4851.74
            # HELP node_filesystem_avail_bytes Filesystem space available to non-root users in bytes.
            # TYPE node_filesystem_avail_bytes gauge
            node_filesystem_avail_bytes{device="/dev/vda",fstype="ext4",mountpoint="/"} 8.4609400832e+10
            # HELP node_load1 1m load average.
            # TYPE node_load1 gauge
            node_load1 1.23
            # HELP node_netstat_Tcp_ActiveOpens Statistic TcpActiveOpens.
            # TYPE node_netstat_Tcp_ActiveOpens untyped
            node_netstat_Tcp_ActiveOpens 92
            # HELP node_uname_info Labeled system information as provided by the uname system call.
            # TYPE node_uname_info gauge
            node_uname_info{domainname="(none)",machine="x86_64",nodename="web-1",release="6.1.0-18-amd64",sysname="Linux",version="#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"} 1
            """;

    @Test
    void nodeExporterOutputParsesToExactlyItsSamplesWithTargetLabels() throws Exception {
        Decoded d = parse(NODE_EXPORTER);

        assertEquals(Map.of(), d.rejected());
        assertEquals(List.of(
                gauge("go_gc_duration_seconds", 2.4e-05, "quantile", "0"),
                gauge("go_gc_duration_seconds", 0.000131, "quantile", "1"),
                counter("go_gc_duration_seconds_sum", 0.000412),
                counter("go_gc_duration_seconds_count", 5),
                counter("node_cpu_seconds_total", 3513.87, "cpu", "0", "mode", "idle"),
                counter("node_cpu_seconds_total", 4851.74, "cpu", "0", "mode", "user"),
                gauge("node_filesystem_avail_bytes", 8.4609400832e+10, "device", "/dev/vda", "fstype", "ext4", "mountpoint", "/"),
                gauge("node_load1", 1.23),
                gauge("node_netstat_Tcp_ActiveOpens", 92),
                gauge("node_uname_info", 1, "domainname", "(none)", "machine", "x86_64", "nodename", "web-1",
                        "release", "6.1.0-18-amd64", "sysname", "Linux",
                        "version", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)")),
                d.items());
    }

    @Test
    void escapedLabelValuesAreUnescapedAndUnknownEscapesKeptAsWritten() throws Exception {
        Decoded d = parse("""
                windows_service_state{path="C:\\\\Program Files\\\\app",msg="say \\"hi\\"\\nbye",re="\\d+"} 1
                """);

        MetricSample s = only(d);
        assertEquals("C:\\Program Files\\app", s.labels().get("path"));
        assertEquals("say \"hi\"\nbye", s.labels().get("msg"));
        assertEquals("\\d+", s.labels().get("re"));
    }

    @Test
    void aMalformedLineIsRejectedAndTheLinesAroundItStillParse() throws Exception {
        Decoded d = parse("""
                up_before 1
                this is not a sample
                broken{job="x" 1
                unterminated{job="x} 1
                twice{a="1",a="2"} 1
                hex_value 0x1p3
                java_suffix 1.5d
                bad_timestamp 1 12:00
                # TYPE strange_family bogus
                up_after{a="b",} 2 1700000000123
                """);

        assertEquals(Map.of("malformed_line", 8L), d.rejected());
        assertEquals(List.of("up_before", "up_after"), d.items().stream().map(t -> ((MetricSample) t).name()).toList());
        MetricSample after = (MetricSample) d.items().get(1);
        assertEquals(1_700_000_000_123L, after.timeMillis(), "the sample's own timestamp wins");
        assertEquals("b", after.labels().get("a"), "a trailing comma in the label set is allowed");
    }

    @Test
    void nanAndInfinitiesAreValues() throws Exception {
        Decoded d = parse("""
                # TYPE rpc_duration_seconds histogram
                rpc_duration_seconds_bucket{le="0.5"} 3
                rpc_duration_seconds_bucket{le="+Inf"} 4
                rpc_duration_seconds_sum +Inf
                rpc_duration_seconds_count 4
                temperature NaN
                drift -Inf
                """);

        assertEquals(Map.of(), d.rejected());
        List<Telemetry> items = d.items();
        assertEquals(counter("rpc_duration_seconds_bucket", 4, "le", "+Inf"), items.get(1));
        assertEquals(counter("rpc_duration_seconds_sum", Double.POSITIVE_INFINITY), items.get(2));
        assertEquals(MetricType.COUNTER, ((MetricSample) items.get(3)).type());
        assertEquals(gauge("temperature", Double.NaN), items.get(4));
        assertEquals(gauge("drift", Double.NEGATIVE_INFINITY), items.get(5));
    }

    @Test
    void targetLabelsWinAndClashingExposedLabelsAreKeptAsExported() throws Exception {
        MetricSample s = only(parse("""
                federated{job="app",instance="10.0.0.7:8080",exported_job="older",zone=""} 1
                """));

        assertEquals(Labels.of("job", "node", "instance", "web-1:9100", "exported_instance", "10.0.0.7:8080",
                "exported_exported_job", "app", "exported_job", "older"), s.labels(),
                "exported_job was taken, so the displaced job goes one prefix further; an empty value is no label");
    }

    @Test
    void seriesOverTheLabelLimitsAreRejectedOneByOne() throws Exception {
        IngestLimits small = new IngestLimits(1 << 20, 1 << 20, 4, 10, 12, 1024, 100);
        Decoded d = PrometheusTextParser.parse("""
                ok{a="1"} 1
                many{a="1",b="2",c="3"} 1
                long_value{a="0123456789abc"} 1
                long_name{abcdefghijk="1"} 1
                multibyte{a="ééééééé"} 1
                """, TARGET, T, small);

        assertEquals(Map.of("too_many_labels", 1L, "label_value_too_long", 2L, "label_name_too_long", 1L), d.rejected(),
                "the target's two labels count; 'ééééééé' is 14 bytes");
        assertEquals("ok", only(d).name());
    }

    @Test
    void aScrapeOverTheSampleLimitFailsWhole() {
        IngestLimits two = new IngestLimits(1 << 20, 1 << 20, 64, 256, 4096, 1024, 2);
        assertThrows(PayloadTooLargeException.class,
                () -> PrometheusTextParser.parse("a 1\nb 2\nc 3\n", TARGET, T, two));
    }

    private static Decoded parse(String text) throws PayloadTooLargeException {
        return PrometheusTextParser.parse(text, TARGET, T, IngestLimits.DEFAULTS);
    }

    private static MetricSample only(Decoded d) {
        assertEquals(1, d.items().size(), () -> "items: " + d.items() + ", rejected: " + d.rejectedSummary());
        return (MetricSample) d.items().get(0);
    }

    private static MetricSample gauge(String name, double value, String... labels) {
        return sample(name, value, MetricType.GAUGE, labels);
    }

    private static MetricSample counter(String name, double value, String... labels) {
        return sample(name, value, MetricType.COUNTER, labels);
    }

    private static MetricSample sample(String name, double value, MetricType type, String... labels) {
        String[] all = new String[labels.length + 4];
        System.arraycopy(labels, 0, all, 0, labels.length);
        System.arraycopy(new String[] {"job", "node", "instance", "web-1:9100"}, 0, all, labels.length, 4);
        return new MetricSample(name, Labels.of(all), value, type, T);
    }
}
