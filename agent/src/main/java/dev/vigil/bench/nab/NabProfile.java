package dev.vigil.bench.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One NAB cost profile: what a detected window earns and what a missed window and a false detection cost. Immutable.
 *
 * @param name     {@code standard}, {@code reward_low_FP_rate} or {@code reward_low_FN_rate}
 * @param tpWeight A_TP, the reward for a window detected at its very start
 * @param fpWeight A_FP, the largest cost of one detection outside every window
 * @param fnWeight A_FN, the cost of a missed window
 */
public record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {
    public NabProfile {
        if (!(tpWeight > 0 && fpWeight >= 0 && fnWeight > 0)) {
            throw new IllegalArgumentException("profile " + name + " needs A_TP > 0, A_FP >= 0, A_FN > 0, was "
                    + tpWeight + ", " + fpWeight + ", " + fnWeight);
        }
    }

    /** NAB's three profiles, as in its {@code config/profiles.json}. */
    public static List<NabProfile> standardProfiles() {
        return List.of(new NabProfile("standard", 1.0, 0.11, 1.0),
                new NabProfile("reward_low_FP_rate", 1.0, 0.22, 1.0),
                new NabProfile("reward_low_FN_rate", 1.0, 0.11, 2.0));
    }

    /** The profiles of a NAB {@code config/profiles.json}, in file order. */
    public static List<NabProfile> load(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<NabProfile> profiles = new ArrayList<>();
        root.fields().forEachRemaining(e -> {
            JsonNode m = e.getValue().path("CostMatrix");
            profiles.add(new NabProfile(e.getKey(), m.path("tpWeight").asDouble(), m.path("fpWeight").asDouble(),
                    m.path("fnWeight").asDouble()));
        });
        return profiles;
    }
}
