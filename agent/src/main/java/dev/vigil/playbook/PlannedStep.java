package dev.vigil.playbook;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one step would do with the bound values, as data for the audit journal: a one-line summary and the exact
 * argv, URL, statement and bind values, or Kubernetes object. Immutable.
 *
 * @param index    the step's position in the playbook's steps (or rollback), from 0
 * @param executor the executor's content form ({@code exec}, {@code http}, …)
 * @param detail   JSON-ready values (strings, numbers, booleans, lists, maps) in a stable order
 */
public record PlannedStep(int index, String name, String executor, String summary, Map<String, Object> detail) {
    public PlannedStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(summary, "summary");
        detail = Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    }
}
