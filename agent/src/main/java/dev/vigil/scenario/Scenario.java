package dev.vigil.scenario;

import dev.vigil.fact.Topology;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One scenario file as read: its header, its observations in non-decreasing {@code t}, and what a correct agent
 * decides. Immutable, so thread-safe.
 *
 * @param path         the file as it was named to the reader, for messages
 * @param description  empty when the header has none
 * @param topology     {@link Topology#EMPTY} when the header has none
 */
public record Scenario(String path, String name, String description, Instant start, Topology topology,
                       List<Observation> observations, List<Expectation> expectations) {
    public Scenario {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        description = Objects.requireNonNullElse(description, "");
        Objects.requireNonNull(start, "start");
        topology = Objects.requireNonNullElse(topology, Topology.EMPTY);
        observations = List.copyOf(observations);
        expectations = List.copyOf(expectations);
    }
}
