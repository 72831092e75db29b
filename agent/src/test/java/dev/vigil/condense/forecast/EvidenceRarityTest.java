package dev.vigil.condense.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EvidenceRarityTest {
    @Test
    @DisplayName("evidence stronger than all of 1,000 past points has a tail of about 1/1,000: rarity 0.6")
    void rarityIsTheTailProbabilityInDecades() {
        EvidenceRarity r = new EvidenceRarity(1e9); // no forgetting within the test
        for (int i = 0; i < 999; i++) {
            r.rarityThenLearn(0.1);
        }

        assertEquals(3 / 5.0, r.rarityThenLearn(10), 0.01); // tail = 1 / 1000 = three of five decades
        assertEquals(0.0, r.rarityThenLearn(0.1), 1e-9); // as strong as almost everything before: not rare
        assertEquals(0.0, new EvidenceRarity(100).rarityThenLearn(5), 0.0); // the first point is certain of nothing
    }

    @Test
    @DisplayName("evidence the series shows once a day is only as rare as once a day; a new extreme is rarer")
    void recurringEvidenceIsOnlyAsRareAsItsRate() {
        EvidenceRarity r = new EvidenceRarity(1000);
        double dailySpike = 0;
        for (int day = 0; day < 10; day++) {
            for (int i = 0; i < 287; i++) {
                r.rarityThenLearn(0.1);
            }
            dailySpike = r.rarityThenLearn(10);
        }
        double newExtreme = r.rarityThenLearn(1000);

        // one point in 288 is a tail of 1/288 (2.46 decades); never seen is 1 over the weight of all 2,880 points
        double allPoints = (1 - Math.pow(0.5, 2880 / 1000.0)) / (1 - Math.pow(0.5, 1 / 1000.0));
        assertEquals(Math.log10(288) / 5, dailySpike, 0.02);
        assertEquals(Math.log10(allPoints) / 5, newExtreme, 0.005);
    }

    @Test
    @DisplayName("a past extreme is forgotten over the half-life")
    void oldEvidenceFades() {
        EvidenceRarity fading = new EvidenceRarity(1000);
        fading.rarityThenLearn(10);
        for (int i = 0; i < 20_000; i++) {
            fading.rarityThenLearn(0.1);
        }

        // one extreme 20 half-lives ago weighs 1e-6 of a point: the tail is the point itself over ~1,443 points
        assertEquals(Math.log10(1443) / 5, fading.rarityThenLearn(10), 0.01);
    }

    @Test
    @DisplayName("the rarity stays in [0, 1] over millions of points (the weights are rescaled, never overflow)")
    void staysInRangeOverLongRuns() {
        EvidenceRarity r = new EvidenceRarity(10);
        for (int i = 0; i < 3_000_000; i++) {
            double v = r.rarityThenLearn(i % 97 == 0 ? 1e7 : (i % 5) * 0.3);
            assertTrue(v >= 0 && v <= 1, "rarity " + v + " at point " + i);
        }
    }
}
