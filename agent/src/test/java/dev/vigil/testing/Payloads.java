package dev.vigil.testing;

import dev.vigil.ingest.prompb.Remote;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.xerial.snappy.Snappy;

/** Request bodies as real clients send them, and hostile ones, for the receiver tests. */
public final class Payloads {
    private Payloads() {
    }

    /** One remote_write series with one sample; {@code labels} must include {@code __name__}. */
    public static Remote.TimeSeries series(Map<String, String> labels, double value, long timeMillis) {
        Remote.TimeSeries.Builder ts = Remote.TimeSeries.newBuilder();
        labels.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> ts.addLabels(Remote.Label.newBuilder().setName(e.getKey()).setValue(e.getValue())));
        return ts.addSamples(Remote.Sample.newBuilder().setValue(value).setTimestamp(timeMillis)).build();
    }

    /** A snappy-compressed WriteRequest, as Prometheus sends it. */
    public static byte[] remoteWrite(Remote.TimeSeries... series) {
        Remote.WriteRequest.Builder req = Remote.WriteRequest.newBuilder();
        for (Remote.TimeSeries s : series) {
            req.addTimeseries(s);
        }
        return snappy(req.build().toByteArray());
    }

    public static byte[] snappy(byte[] raw) {
        try {
            return Snappy.compress(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A snappy block that declares a 2 GiB body in five bytes (its varint length header) and holds nothing. */
    public static byte[] snappyBomb() {
        return new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0x00};
    }

    public static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Zeros that gunzip to {@code bytes}: a few tens of kilobytes on the wire. */
    public static byte[] gzipBomb(int bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[1 << 16];
            for (int written = 0; written < bytes; written += zeros.length) {
                gz.write(zeros);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An OTLP/JSON logs request with one record. */
    public static byte[] otlpJsonLog(String service, String host, int severityNumber, String body, long timeMillis) {
        String json = """
                {"resourceLogs":[{"resource":{"attributes":[
                  {"key":"service.name","value":{"stringValue":"%s"}},
                  {"key":"host.name","value":{"stringValue":"%s"}}]},
                 "scopeLogs":[{"logRecords":[{"timeUnixNano":"%d","severityNumber":%d,
                   "body":{"stringValue":"%s"}}]}]}]}
                """.formatted(service, host, timeMillis * 1_000_000L, severityNumber, body);
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** An Alertmanager webhook (version 4) with one alert. */
    public static byte[] alertmanager(String status, String alertname, String instance, String startsAt, String fingerprint) {
        String json = """
                {"version":"4","groupKey":"{}:{alertname=\\"%2$s\\"}","truncatedAlerts":0,"status":"%1$s","receiver":"vigil",
                 "groupLabels":{"alertname":"%2$s"},"commonLabels":{"alertname":"%2$s"},"commonAnnotations":{},
                 "externalURL":"http://127.0.0.1:9093",
                 "alerts":[{"status":"%1$s","labels":{"alertname":"%2$s","instance":"%3$s","severity":"critical"},
                   "annotations":{"summary":"test"},"startsAt":"%4$s","endsAt":"0001-01-01T00:00:00Z",
                   "generatorURL":"http://127.0.0.1:9090/graph","fingerprint":"%5$s"}]}
                """.formatted(status, alertname, instance, startsAt, fingerprint);
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
