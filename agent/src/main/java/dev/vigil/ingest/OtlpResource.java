package dev.vigil.ingest;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * What Vigil reads from an OTLP resource: the service, and the Prometheus {@code job}, {@code instance} and
 * {@code host} labels derived from it ("" when absent). Immutable.
 *
 * @param service  {@code service.name}
 * @param job      {@code service.namespace/service.name}, or {@code service.name} alone, as Prometheus does
 * @param instance {@code service.instance.id}, else {@code host.name}
 * @param host     {@code host.name}
 */
record OtlpResource(String service, String job, String instance, String host) {
    static OtlpResource of(Resource resource) {
        String service = attribute(resource, "service.name");
        String namespace = attribute(resource, "service.namespace");
        String instanceId = attribute(resource, "service.instance.id");
        String host = attribute(resource, "host.name");
        String job = service.isEmpty() || namespace.isEmpty() ? service : namespace + "/" + service;
        return new OtlpResource(service, job, instanceId.isEmpty() ? host : instanceId, host);
    }

    /** Sets job, instance and host; like Prometheus, they win over data point attributes of the same name. */
    void labelSeries(LabelCollector labels) {
        setIfPresent(labels, "job", job);
        setIfPresent(labels, "instance", instance);
        setIfPresent(labels, "host", host);
    }

    private static void setIfPresent(LabelCollector labels, String name, String value) {
        if (!value.isEmpty()) {
            labels.set(name, value);
        }
    }

    private static String attribute(Resource resource, String key) {
        for (KeyValue kv : resource.getAttributesList()) {
            if (kv.getKey().equals(key)) {
                return OtlpValues.text(kv.getValue());
            }
        }
        return "";
    }
}
