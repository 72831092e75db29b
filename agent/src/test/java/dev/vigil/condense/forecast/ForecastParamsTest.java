package dev.vigil.condense.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ForecastParamsTest {
    @Test
    @DisplayName("a parameter out of range is rejected, naming it and its value")
    void outOfRangeParameterIsNamed() {
        ForecastParams d = ForecastParams.defaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ForecastParams(2,
                d.trendConfidenceZ(), d.levelAlpha(), d.dayGamma(), d.weekGamma(), d.daySlots(), d.errorHalfLife(),
                d.shortPoints(), d.historyHalfLife(), d.warmupPoints(), d.cusumDrift(), d.cusumLimit(),
                d.refractoryHalfLife()));

        assertEquals("trend_points must be in [3, 512], was 2", e.getMessage());
    }

    @Test
    @DisplayName("the rarity weight is a share in [0, 1]; the constructor without it turns the rarity off")
    void rarityWeightIsAShareAndOptional() {
        ForecastParams d = ForecastParams.defaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ForecastParams(
                d.trendPoints(), d.trendConfidenceZ(), d.levelAlpha(), d.dayGamma(), d.weekGamma(), d.daySlots(),
                d.errorHalfLife(), d.shortPoints(), d.historyHalfLife(), d.warmupPoints(), d.cusumDrift(),
                d.cusumLimit(), d.refractoryHalfLife(), 1.5, d.rarityHalfLife()));
        ForecastParams older = new ForecastParams(d.trendPoints(), d.trendConfidenceZ(), d.levelAlpha(), d.dayGamma(),
                d.weekGamma(), d.daySlots(), d.errorHalfLife(), d.shortPoints(), d.historyHalfLife(),
                d.warmupPoints(), d.cusumDrift(), d.cusumLimit(), d.refractoryHalfLife());

        assertEquals("rarity_weight must be in [0, 1], was 1.5", e.getMessage());
        assertEquals(0.0, older.rarityWeight());
        assertEquals(d.cusumLimit(), older.cusumLimit());
    }
}
