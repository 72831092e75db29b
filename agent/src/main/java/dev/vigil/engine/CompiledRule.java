package dev.vigil.engine;

import java.util.Map;

/**
 * One rule of a compiled rule base, with where it was written and its metadata
 * ({@code @signature}, {@code @evidence}, {@code @contraindication}). Immutable.
 */
public record CompiledRule(String name, String file, int line, Map<String, String> metadata) {
    public CompiledRule {
        metadata = Map.copyOf(metadata);
    }

    public String meta(String key) {
        return metadata.get(key);
    }
}
