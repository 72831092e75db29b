package dev.vigil.confidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One nested class per term of the model; expected numbers are worked out here from the documented formula. */
class ConfidenceModelTest {
    static final double TOLERANCE = 1e-9;
    static final String SIGNATURE = "db-connection-pool-exhaustion";

    /** The documented defaults, written out so that tests do not depend on the file they also check. */
    static final Parameters DEFAULTS = new Parameters(300, 300, 0.3, 0.7, 1.0, 0.85, 0.001, 0.999);

    final ConfidenceModel model = new ConfidenceModel(DEFAULTS);

    static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static EvidenceInput evidence(String key, double weight, double strength, Source source) {
        return new EvidenceInput(key, weight, strength, source, false, 0, key + " observed");
    }

    static EvidenceInput aged(String key, double weight, double ageSeconds) {
        return new EvidenceInput(key, weight, 1.0, Source.METRIC, false, ageSeconds, key + " observed");
    }

    static ScoreInput input(double prior, EvidenceInput... evidence) {
        return new ScoreInput(SIGNATURE, prior, List.of(evidence), List.of(), List.of(), TrackRecord.NONE);
    }

    static ScoreInput withHistory(ScoreInput in, TrackRecord history) {
        return new ScoreInput(in.signature(), in.prior(), in.evidence(), in.missingSources(),
                in.conflictingSignatures(), history);
    }

    static List<String> terms(Score score) {
        return score.reasons().stream().map(Reason::term).collect(Collectors.toList());
    }

    static List<Reason> reasons(Score score, String term) {
        return score.reasons().stream().filter(r -> r.term().equals(term)).collect(Collectors.toList());
    }

    static Reason only(Score score, String term) {
        List<Reason> found = reasons(score, term);
        assertEquals(1, found.size(), () -> "one " + term + " reason in " + score.reasons());
        return found.get(0);
    }

    @Test
    void withDefaultsUsesTheBundledParameters() {
        assertEquals(DEFAULTS, ConfidenceModel.withDefaults().parameters());
    }

    @Test
    void modelNeedsParameters() {
        assertThrows(NullPointerException.class, () -> new ConfidenceModel(null));
    }

    @Nested
    class PriorTerm {
        @Test
        void noEvidenceScoresThePriorAlone() {
            Score score = model.score(input(0.2));

            assertEquals(0.2, score.probability(), TOLERANCE);
            assertEquals(List.of("prior"), terms(score));
            assertEquals(logit(0.2), score.reasons().get(0).logOdds(), TOLERANCE);
            assertEquals("prior 0.20 for db-connection-pool-exhaustion", score.reasons().get(0).text());
        }

        @Test
        void noEvidenceIgnoresPenaltiesAndHistory() {
            ScoreInput in = new ScoreInput(SIGNATURE, 0.3, List.of(), List.of("pool-saturated"),
                    List.of("postgres-connection-slots-exhausted"), new TrackRecord(40, 0));

            Score score = model.score(in);

            assertEquals(0.3, score.probability(), TOLERANCE);
            assertEquals(List.of("prior"), terms(score));
        }

        @Test
        void smallPriorsKeepTheirDigitsInTheText() {
            assertEquals("prior 0.005 for db-connection-pool-exhaustion",
                    model.score(input(0.005)).reasons().get(0).text());
            assertEquals("prior 0.9995 for db-connection-pool-exhaustion",
                    model.score(input(0.9995)).reasons().get(0).text());
        }
    }

    @Nested
    class EvidenceTerm {
        @Test
        void eachEvidenceAddsWeightTimesStrength() {
            Score score = model.score(input(0.2,
                    evidence("pool-saturated", 1.5, 0.8, Source.METRIC),
                    evidence("db-client-timeouts", 0.9, 1.0, Source.TRACE),
                    evidence("db-unhealthy", -0.6, 0.5, Source.METRIC)));

            double expected = logit(0.2) + 1.5 * 0.8 + 0.9 * 1.0 - 0.6 * 0.5;
            assertEquals(sigmoid(expected), score.probability(), TOLERANCE);
            List<Reason> evidence = reasons(score, "evidence");
            assertEquals(3, evidence.size());
            assertEquals(1.5 * 0.8, evidence.get(0).logOdds(), TOLERANCE);
            assertEquals(0.9, evidence.get(1).logOdds(), TOLERANCE);
            assertEquals(-0.3, evidence.get(2).logOdds(), TOLERANCE);
        }

        @Test
        void evidenceReasonReadsTheDetail() {
            EvidenceInput e = new EvidenceInput("pool-saturated", 2.0, 1.0, Source.METRIC, false, 10,
                    "pool HikariPool-1 saturated 10/10 for 75s");

            Reason reason = only(model.score(input(0.2, e)), "evidence");

            assertEquals("pool HikariPool-1 saturated 10/10 for 75s", reason.text());
        }

        @Test
        void evidenceThatDoesNotHoldIsListedAndAddsNothing() {
            Score score = model.score(input(0.2, evidence("threads-waiting", 1.2, 0.0, Source.METRIC)));

            assertEquals(0.2, score.probability(), TOLERANCE);
            assertEquals(0.0, only(score, "evidence").logOdds(), TOLERANCE);
        }
    }

    @Nested
    class StaleTerm {
        @Test
        void evidenceOneHalfLifePastStaleLosesHalf() {
            double age = DEFAULTS.staleAfterSeconds() + DEFAULTS.staleHalfLifeSeconds();

            Score score = model.score(input(0.2, aged("pool-saturated", 2.0, age)));

            assertEquals(sigmoid(logit(0.2) + 2.0 / 2), score.probability(), TOLERANCE);
            assertEquals(2.0, only(score, "evidence").logOdds(), TOLERANCE);
            Reason stale = only(score, "stale");
            assertEquals(-2.0 / 2, stale.logOdds(), TOLERANCE);
            assertEquals("stale: pool-saturated last seen 10m ago, counts 50%", stale.text());
        }

        @Test
        void evidenceTwoHalfLivesPastStaleKeepsAQuarter() {
            double age = DEFAULTS.staleAfterSeconds() + 2 * DEFAULTS.staleHalfLifeSeconds();

            Score score = model.score(input(0.2, aged("pool-saturated", 2.0, age)));

            assertEquals(-2.0 * 0.75, only(score, "stale").logOdds(), TOLERANCE);
            assertEquals(sigmoid(logit(0.2) + 2.0 * 0.25), score.probability(), TOLERANCE);
        }

        @Test
        void evidenceExactlyAtTheStaleAgeStillCountsFully() {
            Score score = model.score(input(0.2, aged("pool-saturated", 2.0, DEFAULTS.staleAfterSeconds())));

            assertEquals(List.of(), reasons(score, "stale"));
            assertEquals(sigmoid(logit(0.2) + 2.0), score.probability(), TOLERANCE);
        }

        @Test
        void staleCounterEvidencePullsDownLessAndSaysSo() {
            double age = DEFAULTS.staleAfterSeconds() + DEFAULTS.staleHalfLifeSeconds();

            Score score = model.score(input(0.5, aged("db-unhealthy", -1.0, age)));

            assertEquals(+0.5, only(score, "stale").logOdds(), TOLERANCE);
            assertEquals(sigmoid(-0.5), score.probability(), TOLERANCE);
        }

        @Test
        void decayFollowsTheConfiguredAgeAndHalfLife() {
            Parameters quick = new Parameters(60, 30, 0.3, 0.7, 1.0, 0.85, 0.001, 0.999);

            Score score = new ConfidenceModel(quick).score(input(0.2, aged("pool-saturated", 2.0, 105)));

            double kept = Math.pow(0.5, (105.0 - 60) / 30);
            assertEquals(2.0 * kept - 2.0, only(score, "stale").logOdds(), TOLERANCE);
            assertEquals(sigmoid(logit(0.2) + 2.0 * kept), score.probability(), TOLERANCE);
            assertEquals("stale: pool-saturated last seen 1m45s ago, counts 35%", only(score, "stale").text());
        }
    }

    @Nested
    class MissingSourceTerm {
        @Test
        void eachMissingSourceSubtractsThePenalty() {
            ScoreInput in = new ScoreInput(SIGNATURE, 0.2, List.of(evidence("pool-saturated", 2.0, 1, Source.METRIC)),
                    List.of("db-client-timeouts", "acquire-timeout-log"), List.of(), TrackRecord.NONE);

            Score score = model.score(in);

            double expected = logit(0.2) + 2.0 - 2 * DEFAULTS.missingSourcePenalty();
            assertEquals(sigmoid(expected), score.probability(), TOLERANCE);
            List<Reason> missing = reasons(score, "missing-source");
            assertEquals(2, missing.size());
            assertEquals(-DEFAULTS.missingSourcePenalty(), missing.get(0).logOdds(), TOLERANCE);
            assertEquals("missing source: nothing reports db-client-timeouts for this target; unknown, not absent",
                    missing.get(0).text());
            assertEquals("missing source: nothing reports acquire-timeout-log for this target; unknown, not absent",
                    missing.get(1).text());
        }
    }

    @Nested
    class ConflictTerm {
        @Test
        void eachConflictingSignatureSubtractsThePenalty() {
            ScoreInput in = new ScoreInput(SIGNATURE, 0.2, List.of(evidence("pool-saturated", 2.0, 1, Source.METRIC)),
                    List.of(), List.of("postgres-connection-slots-exhausted"), TrackRecord.NONE);

            Score score = model.score(in);

            double expected = logit(0.2) + 2.0 - DEFAULTS.conflictPenalty();
            assertEquals(sigmoid(expected), score.probability(), TOLERANCE);
            Reason conflict = only(score, "conflict");
            assertEquals(-DEFAULTS.conflictPenalty(), conflict.logOdds(), TOLERANCE);
            assertEquals("conflict: postgres-connection-slots-exhausted is also diagnosed on this target",
                    conflict.text());
        }
    }

    @Nested
    class TrackRecordTerm {
        final ScoreInput base = input(0.2, evidence("pool-saturated", 1.0, 1, Source.METRIC));
        final double baseLogOdds = logit(0.2) + 1.0;

        @Test
        void verifiedSuccessesRaiseTheScore() {
            Score score = model.score(withHistory(base, new TrackRecord(5, 1)));

            double history = logit((5 + 1.0) / (5 + 1 + 2));
            assertTrue(history > 0);
            assertEquals(history, only(score, "track-record").logOdds(), TOLERANCE);
            assertEquals(sigmoid(baseLogOdds + history), score.probability(), TOLERANCE);
            assertEquals("playbook history: 5 verified, 1 failed", only(score, "track-record").text());
        }

        @Test
        void failuresLowerTheScore() {
            Score score = model.score(withHistory(base, new TrackRecord(1, 4)));

            double history = logit((1 + 1.0) / (1 + 4 + 2));
            assertTrue(history < 0);
            assertEquals(sigmoid(baseLogOdds + history), score.probability(), TOLERANCE);
        }

        @Test
        void noHistoryAddsNothing() {
            Score score = model.score(withHistory(base, TrackRecord.NONE));

            assertEquals(List.of(), reasons(score, "track-record"));
            assertEquals(sigmoid(baseLogOdds), score.probability(), TOLERANCE);
        }

        @Test
        void historyIsScaledByItsWeight() {
            Parameters half = new Parameters(300, 300, 0.3, 0.7, 0.5, 0.85, 0.001, 0.999);

            Score score = new ConfidenceModel(half).score(withHistory(base, new TrackRecord(9, 0)));

            double history = 0.5 * logit((9 + 1.0) / (9 + 0 + 2));
            assertEquals(history, only(score, "track-record").logOdds(), TOLERANCE);
            assertEquals(sigmoid(baseLogOdds + history), score.probability(), TOLERANCE);
        }
    }

    @Nested
    class NoisySourceCap {
        final double cap = DEFAULTS.noisySourceCap();

        @Test
        void logsAloneNeverReachStrong() {
            Score score = model.score(input(0.2,
                    evidence("acquire-timeout-log", 3.0, 1, Source.LOG),
                    evidence("too-many-clients-log", 2.0, 1, Source.LOG)));

            double uncapped = logit(0.2) + 3.0 + 2.0;
            assertTrue(sigmoid(uncapped) > 0.90, "the example must be strong without the cap");
            assertEquals(cap, score.probability(), TOLERANCE);
            Reason reason = only(score, "cap");
            assertEquals(logit(cap) - uncapped, reason.logOdds(), TOLERANCE);
            assertEquals("capped at 0.85: all present evidence is from noisy sources (log) and none is exact; "
                    + "evidence from one noisy source alone never reaches strong", reason.text());
        }

        @Test
        void alertsAloneNeverReachStrong() {
            Score score = model.score(input(0.2, evidence("pool-alert", 6.0, 1, Source.ALERT)));

            assertEquals(cap, score.probability(), TOLERANCE);
            assertEquals(logit(cap) - (logit(0.2) + 6.0), only(score, "cap").logOdds(), TOLERANCE);
        }

        @Test
        void logsAndAlertsTogetherAreStillCapped() {
            Score score = model.score(input(0.2,
                    evidence("acquire-timeout-log", 3.0, 1, Source.LOG),
                    evidence("pool-alert", 3.0, 1, Source.ALERT)));

            assertEquals(cap, score.probability(), TOLERANCE);
            assertTrue(only(score, "cap").text().contains("(log, alert)"));
        }

        @Test
        void anAgreeingMetricLiftsTheCap() {
            Score score = model.score(input(0.2,
                    evidence("acquire-timeout-log", 3.0, 1, Source.LOG),
                    evidence("pool-saturated", 1.0, 1, Source.METRIC)));

            double expected = sigmoid(logit(0.2) + 3.0 + 1.0);
            assertTrue(expected > 0.90);
            assertEquals(expected, score.probability(), TOLERANCE);
            assertEquals(List.of(), reasons(score, "cap"));
        }

        @Test
        void anExactLogEvidenceLiftsTheCap() {
            EvidenceInput exact = new EvidenceInput("cert-expires", 5.0, 1, Source.LOG, true, 0,
                    "certificate for api.example.com expires in 2 days");

            Score score = model.score(input(0.2, exact));

            assertEquals(sigmoid(logit(0.2) + 5.0), score.probability(), TOLERANCE);
            assertEquals(List.of(), reasons(score, "cap"));
        }

        @Test
        void aMetricThatDoesNotHoldOrPointsAwayDoesNotLiftTheCap() {
            Score score = model.score(input(0.2,
                    evidence("acquire-timeout-log", 5.0, 1, Source.LOG),
                    evidence("pool-saturated", 2.0, 0.0, Source.METRIC),
                    evidence("db-unhealthy", -0.5, 1, Source.METRIC)));

            assertEquals(cap, score.probability(), TOLERANCE);
        }

        @Test
        void noisyEvidenceBelowTheCapIsLeftAlone() {
            Score score = model.score(input(0.2, evidence("acquire-timeout-log", 1.0, 1, Source.LOG)));

            assertEquals(sigmoid(logit(0.2) + 1.0), score.probability(), TOLERANCE);
            assertEquals(List.of(), reasons(score, "cap"));
        }

        @Test
        void historyWithoutPresentEvidenceNeverReachesStrong() {
            ScoreInput in = withHistory(input(0.5, evidence("pool-saturated", 2.0, 0.0, Source.METRIC)),
                    new TrackRecord(50, 0));

            Score score = model.score(in);

            double uncapped = logit(0.5) + logit(51.0 / 52);
            assertTrue(sigmoid(uncapped) > 0.90);
            assertEquals(cap, score.probability(), TOLERANCE);
            assertEquals("capped at 0.85: no evidence for the diagnosis is present; without it the score never "
                    + "reaches strong", only(score, "cap").text());
        }

        @Test
        void theCapComesFromTheParameters() {
            Parameters lower = new Parameters(300, 300, 0.3, 0.7, 1.0, 0.6, 0.001, 0.999);

            Score score = new ConfidenceModel(lower).score(input(0.2, evidence("pool-alert", 3.0, 1, Source.ALERT)));

            assertEquals(0.6, score.probability(), TOLERANCE);
        }
    }

    @Nested
    class Clamping {
        @Test
        void overwhelmingEvidenceStopsAtTheMaximum() {
            Score score = model.score(input(0.2, evidence("pool-saturated", 30.0, 1, Source.METRIC)));

            assertTrue(sigmoid(logit(0.2) + 30.0) > DEFAULTS.maxProbability());
            assertEquals(DEFAULTS.maxProbability(), score.probability(), TOLERANCE);
        }

        @Test
        void overwhelmingCounterEvidenceStopsAtTheMinimum() {
            Score score = model.score(input(0.2, evidence("db-unhealthy", -30.0, 1, Source.METRIC)));

            assertTrue(sigmoid(logit(0.2) - 30.0) < DEFAULTS.minProbability());
            assertEquals(DEFAULTS.minProbability(), score.probability(), TOLERANCE);
        }

        @Test
        void aPriorOutsideTheBoundsIsClampedToo() {
            assertEquals(DEFAULTS.maxProbability(), model.score(input(0.99999)).probability(), TOLERANCE);
            assertEquals(DEFAULTS.minProbability(), model.score(input(0.00001)).probability(), TOLERANCE);
        }

        @Test
        void boundsComeFromTheParameters() {
            Parameters narrow = new Parameters(300, 300, 0.3, 0.7, 1.0, 0.85, 0.05, 0.95);

            Score score = new ConfidenceModel(narrow).score(input(0.2, evidence("x", 30.0, 1, Source.METRIC)));

            assertEquals(0.95, score.probability(), TOLERANCE);
        }
    }

    @Nested
    class Reasons {
        final ScoreInput everything = new ScoreInput(SIGNATURE, 0.2,
                List.of(
                        new EvidenceInput("acquire-timeout-log", 2.5, 1.0, Source.LOG, false, 360,
                                "12 logs \"Connection is not available\" in 2m"),
                        new EvidenceInput("pool-alert", 2.0, 0.5, Source.ALERT, false, 30, "alert HikariPoolFull"),
                        new EvidenceInput("pool-slow-log", 1.5, 1.0, Source.LOG, false, 900, "slow acquire logs")),
                List.of("db-client-timeouts"),
                List.of("postgres-connection-slots-exhausted"),
                new TrackRecord(8, 0));

        @Test
        void reasonsComeInTheDocumentedOrderWithReadableTexts() {
            Score score = model.score(everything);

            assertEquals(List.of("prior", "evidence", "evidence", "evidence", "stale", "stale", "missing-source",
                    "conflict", "track-record", "cap"), terms(score));
            List<String> texts = score.reasons().stream().map(Reason::text).collect(Collectors.toList());
            assertEquals(List.of(
                    "prior 0.20 for db-connection-pool-exhaustion",
                    "12 logs \"Connection is not available\" in 2m",
                    "alert HikariPoolFull",
                    "slow acquire logs",
                    "stale: acquire-timeout-log last seen 6m ago, counts 87%",
                    "stale: pool-slow-log last seen 15m ago, counts 25%",
                    "missing source: nothing reports db-client-timeouts for this target; unknown, not absent",
                    "conflict: postgres-connection-slots-exhausted is also diagnosed on this target",
                    "playbook history: 8 verified, 0 failed",
                    "capped at 0.85: all present evidence is from noisy sources (log, alert) and none is exact; "
                            + "evidence from one noisy source alone never reaches strong"), texts);
        }

        @Test
        void reasonsAddUpToTheLogOddsOfTheProbability() {
            Parameters noCap = new Parameters(300, 300, 0.3, 0.7, 1.0, 0.99, 0.001, 0.999);
            ConfidenceModel uncapped = new ConfidenceModel(noCap);

            for (ConfidenceModel m : List.of(model, uncapped)) {
                Score score = m.score(everything);
                double sum = score.reasons().stream().mapToDouble(Reason::logOdds).sum();
                assertEquals(logit(score.probability()), sum, 1e-9, () -> "reasons " + score.reasons());
            }
        }

        @Test
        void reasonsCannotBeChanged() {
            Score score = model.score(everything);

            List<Reason> reasons = score.reasons();
            assertThrows(UnsupportedOperationException.class, () -> reasons.add(reasons.get(0)));
        }

        @Test
        void scoringTheSameInputTwiceGivesTheSameScore() {
            assertEquals(model.score(everything), model.score(everything));
        }

        @Test
        void inputListsAreCopied() {
            List<EvidenceInput> evidence = new ArrayList<>(List.of(evidence("pool-saturated", 1, 1, Source.METRIC)));
            ScoreInput in = new ScoreInput(SIGNATURE, 0.2, evidence, List.of(), List.of(), TrackRecord.NONE);
            Score before = model.score(in);

            evidence.add(evidence("threads-waiting", 1, 1, Source.METRIC));

            assertEquals(before, model.score(in));
        }
    }
}
