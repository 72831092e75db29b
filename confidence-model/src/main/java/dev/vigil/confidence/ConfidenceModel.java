package dev.vigil.confidence;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Scores how sure Vigil is of one diagnosis and says why; immutable and safe to share between threads.
 *
 * <p>The score is the calibrated probability that the diagnosis is right <em>and</em> its playbook the right
 * response. The model works in log-odds, {@code logit(p) = ln(p / (1 - p))}, where independent pieces of
 * information add. With the {@link Parameters} named as in the parameters file:
 *
 * <ol>
 *   <li><b>prior</b>: start at {@code L = logit(prior)}.</li>
 *   <li><b>evidence</b>: each evidence adds {@code weight × strength}; a negative weight is evidence against.</li>
 *   <li><b>stale</b>: an evidence older than {@code stale.after.seconds} counts only
 *       {@code 0.5^((age - stale.after.seconds) / stale.half-life.seconds)} of that; the part it loses is its own
 *       reason.</li>
 *   <li><b>missing-source</b>: each evidence key whose telemetry source sends nothing for the target subtracts
 *       {@code missing-source.penalty}: the evidence is unknown, not absent.</li>
 *   <li><b>conflict</b>: each other signature diagnosed on the same target subtracts {@code conflict.penalty}.</li>
 *   <li><b>track-record</b>: with {@code s} verified successes and {@code f} failures of the playbook
 *       ({@code s + f > 0}), add {@code track-record.weight × logit((s + 1) / (s + f + 2))}, the log-odds of the
 *       Laplace-smoothed success rate. No history adds nothing.</li>
 *   <li><b>cap</b>: evidence is <em>present</em> when its strength is above 0 and its weight positive. When no
 *       present evidence is exact or comes from a source other than {@link Source#LOG} and {@link Source#ALERT},
 *       the probability is capped at {@code noisy-source.cap}: evidence from one noisy source alone never reaches
 *       strong. This includes the case where nothing is present at all, so a playbook's history cannot lift a
 *       diagnosis without evidence to strong.</li>
 *   <li>The probability is {@code 1 / (1 + e^-L)}, clamped to [{@code probability.min}, {@code probability.max}].
 *       </li>
 * </ol>
 *
 * <p>An input with no evidence at all scores its prior alone (clamped), with the prior as its only reason: there
 * is nothing to penalise or to cap.
 *
 * <p>Every step above that applies adds a {@link Reason}, in that order (evidence and stale reasons in input order),
 * whose log-odds is what the step added; they sum to the logit of the probability before clamping.
 */
public final class ConfidenceModel {
    private final Parameters parameters;

    /**
     * A model with the given parameters.
     *
     * @throws NullPointerException when parameters is null
     */
    public ConfidenceModel(Parameters parameters) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
    }

    /** A model with the bundled parameters ({@link Parameters#defaults()}). */
    public static ConfidenceModel withDefaults() {
        return new ConfidenceModel(Parameters.defaults());
    }

    /** The parameters this model scores with. */
    public Parameters parameters() {
        return parameters;
    }

    /**
     * The probability that the diagnosis described by {@code input} is right, and the reasons behind it.
     *
     * @throws NullPointerException when input is null
     */
    public Score score(ScoreInput input) {
        Objects.requireNonNull(input, "input");
        Parameters p = parameters;
        List<Reason> reasons = new ArrayList<>();

        double logOdds = logit(input.prior());
        reasons.add(new Reason("prior", logOdds,
                "prior " + formatProbability(input.prior()) + " for " + input.signature()));
        if (input.evidence().isEmpty()) {
            return new Score(clamp(input.prior()), reasons);
        }

        List<Reason> stale = new ArrayList<>();
        for (EvidenceInput e : input.evidence()) {
            double full = e.contribution();
            reasons.add(new Reason("evidence", full, e.detail()));
            logOdds += full;
            if (full != 0 && e.ageSeconds() > p.staleAfterSeconds()) {
                double kept = Math.pow(0.5, (e.ageSeconds() - p.staleAfterSeconds()) / p.staleHalfLifeSeconds());
                double change = full * kept - full;
                stale.add(new Reason("stale", change, "stale: " + e.key() + " last seen "
                        + formatDuration(e.ageSeconds()) + " ago, counts " + formatPercent(kept)));
                logOdds += change;
            }
        }
        reasons.addAll(stale);

        for (String key : input.missingSources()) {
            reasons.add(new Reason("missing-source", -p.missingSourcePenalty(),
                    "missing source: nothing reports " + key + " for this target; unknown, not absent"));
            logOdds -= p.missingSourcePenalty();
        }
        for (String other : input.conflictingSignatures()) {
            reasons.add(new Reason("conflict", -p.conflictPenalty(),
                    "conflict: " + other + " is also diagnosed on this target"));
            logOdds -= p.conflictPenalty();
        }

        TrackRecord history = input.trackRecord();
        if (history.hasHistory()) {
            // logit((s + 1) / (s + f + 2)) == ln((s + 1) / (f + 1)), without the cancellation near 0 and 1
            double change = p.trackRecordWeight()
                    * Math.log((history.successes() + 1.0) / (history.failures() + 1.0));
            reasons.add(new Reason("track-record", change, "playbook history: " + history.successes()
                    + " verified, " + history.failures() + " failed"));
            logOdds += change;
        }

        double capLogOdds = logit(p.noisySourceCap());
        if (logOdds > capLogOdds && !corroborated(input.evidence())) {
            reasons.add(new Reason("cap", capLogOdds - logOdds, capText(input.evidence(), p.noisySourceCap())));
            logOdds = capLogOdds;
        }
        return new Score(clamp(1 / (1 + Math.exp(-logOdds))), reasons);
    }

    /** True when some present evidence is exact or comes from a source that is not noisy. */
    private static boolean corroborated(List<EvidenceInput> evidence) {
        return evidence.stream().anyMatch(e -> e.present() && (e.exact() || !e.source().noisy()));
    }

    private static String capText(List<EvidenceInput> evidence, double cap) {
        Set<Source> sources = EnumSet.noneOf(Source.class);
        evidence.stream().filter(EvidenceInput::present).forEach(e -> sources.add(e.source()));
        String capped = "capped at " + formatProbability(cap) + ": ";
        if (sources.isEmpty()) {
            return capped + "no evidence for the diagnosis is present; without it the score never reaches strong";
        }
        StringJoiner names = new StringJoiner(", ");
        sources.forEach(s -> names.add(s.lowerCaseName()));
        return capped + "all present evidence is from noisy sources (" + names + ") and none is exact; evidence "
                + "from one noisy source alone never reaches strong";
    }

    private double clamp(double probability) {
        return Math.max(parameters.minProbability(), Math.min(parameters.maxProbability(), probability));
    }

    private static double logit(double probability) {
        return Math.log(probability / (1 - probability));
    }

    /** Two decimals, more when needed to tell the value from 0 or 1 ({@code 0.20}, {@code 0.005}, {@code 0.999}). */
    static String formatProbability(double probability) {
        double nearest = Math.min(probability, 1 - probability);
        int decimals = 2;
        while (decimals < 6 && nearest > 0 && nearest < 0.5 * Math.pow(10, -decimals + 1)) {
            decimals++;
        }
        String s = String.format(Locale.ROOT, "%." + decimals + "f", probability);
        while (decimals > 2 && s.endsWith("0")) {
            s = s.substring(0, s.length() - 1);
            decimals--;
        }
        return s;
    }

    /** Whole seconds as {@code 45s}, {@code 6m}, {@code 6m30s}, {@code 2h5m}, {@code 3d4h}; the largest two units. */
    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < sizes.length && shown < 2; i++) {
            long n = s / sizes[i];
            s %= sizes[i];
            if (n > 0) {
                out.append(n).append(units[i]);
                shown++;
            } else if (shown > 0) {
                break;
            }
        }
        return out.length() == 0 ? "0s" : out.toString();
    }

    /** A fraction as a whole percentage; {@code <1%} rather than a misleading {@code 0%}. */
    static String formatPercent(double fraction) {
        double percent = fraction * 100;
        return percent > 0 && percent < 0.5 ? "<1%" : String.format(Locale.ROOT, "%.0f%%", percent);
    }
}
