package dev.vigil.ingest;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;

/** Small builders for OTLP messages in tests. */
final class OtlpFixtures {
    /** 2024-01-01T00:00:00Z in nanoseconds, a time every test can read. */
    static final long T0 = 1_704_067_200_000_000_000L;
    static final long T0_MS = T0 / 1_000_000;

    private OtlpFixtures() {
    }

    static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    static Resource resource(KeyValue... attributes) {
        Resource.Builder b = Resource.newBuilder();
        for (KeyValue kv : attributes) {
            b.addAttributes(kv);
        }
        return b.build();
    }
}
