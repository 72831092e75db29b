package dev.vigil.daemon;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.util.Optional;

/** Vigil's own traces: one per engine cycle that decided, exported over OTLP/HTTP when an endpoint is configured. */
final class SelfTracing implements AutoCloseable {
    private final OpenTelemetry openTelemetry;
    private final SdkTracerProvider provider;

    private SelfTracing(OpenTelemetry openTelemetry, SdkTracerProvider provider) {
        this.openTelemetry = openTelemetry;
        this.provider = provider;
    }

    static SelfTracing of(Optional<URI> endpoint, String host) {
        if (endpoint.isEmpty()) {
            return new SelfTracing(OpenTelemetry.noop(), null);
        }
        return exportingTo(OtlpHttpSpanExporter.builder().setEndpoint(endpoint.get().toString()).build(), host);
    }

    /** Traces to the given exporter (tests use an in-memory one). */
    static SelfTracing exportingTo(SpanExporter exporter, String host) {
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.builder()
                .put("service.name", "vigil").put("host.name", host).build()));
        SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build()).build();
        return new SelfTracing(OpenTelemetrySdk.builder().setTracerProvider(provider).build(), provider);
    }

    io.opentelemetry.api.trace.Tracer tracer() {
        return openTelemetry.getTracer("dev.vigil");
    }

    /** Sends what is buffered (tests, and shutdown). */
    void flush() {
        if (provider != null) {
            provider.forceFlush().join(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        if (provider != null) {
            provider.shutdown().join(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
