package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.condense.ForecastConfig;
import dev.vigil.condense.forecast.ForecastParams;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import dev.vigil.testing.Repo;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DaemonConfigForecastTest {
    @Test
    @DisplayName("without a forecast section the documented defaults apply")
    void noSectionMeansDefaults() {
        assertEquals(ForecastConfig.defaults(), DaemonConfig.defaults().forecast());
    }

    @Test
    @DisplayName("the shipped example's forecast section spells out the defaults, the new rarity keys included")
    void shippedExampleIsTheDefaults() throws Exception {
        DaemonConfig c = DaemonConfig.load(Repo.root().resolve("deploy/config/vigil.yaml"));

        assertEquals(ForecastConfig.defaults(), c.forecast());
        assertEquals(0.2, DaemonConfig.parse(new ContentFile("vigil.yaml", "forecast:\n  rarity_weight: 0.2\n"))
                .forecast().detectors().rarityWeight());
    }

    @Test
    @DisplayName("a forecast section overrides only the keys it sets")
    void sectionOverridesItsKeys() throws ContentException {
        DaemonConfig c = DaemonConfig.parse(new ContentFile("vigil.yaml",
                "forecast:\n  trend_points: 32\n  day_gamma: 0\n  step: 30s\n  anomaly_threshold: 0.9\n"));

        assertEquals(32, c.forecast().detectors().trendPoints());
        assertEquals(0.0, c.forecast().detectors().dayGamma());
        assertEquals(ForecastParams.defaults().levelAlpha(), c.forecast().detectors().levelAlpha());
        assertEquals(30_000L, c.forecast().stepMillis());
        assertEquals(0.9, c.forecast().anomalyThreshold());
        assertEquals(ForecastConfig.defaults().recentPoints(), c.forecast().recentPoints());
    }

    @Test
    @DisplayName("a recent trend longer than the trend is refused at start, naming the section")
    void recentPointsWithinTrendPoints() {
        ContentException e = assertThrows(ContentException.class,
                () -> DaemonConfig.parse(new ContentFile("vigil.yaml", "forecast:\n  trend_points: 16\n  recent_points: 20\n")));

        assertTrue(e.getMessage().contains("recent_points must be between 3 and trend_points (16), was 20"), e.getMessage());
    }

    @Test
    @DisplayName("an out-of-range or unknown forecast key fails at start, naming the file, line and field")
    void badKeysFailWithTheirPlace() {
        ContentException range = assertThrows(ContentException.class,
                () -> DaemonConfig.parse(new ContentFile("vigil.yaml", "forecast:\n  trend_points: 2\n")));
        ContentException unknown = assertThrows(ContentException.class,
                () -> DaemonConfig.parse(new ContentFile("vigil.yaml", "forecast:\n  seasons: 3\n")));

        assertTrue(range.getMessage().startsWith("vigil.yaml:2: forecast.trend_points"), range.getMessage());
        assertTrue(unknown.getMessage().contains("seasons"), unknown.getMessage());
    }
}
