package dev.vigil.confidence;

import java.util.Objects;
import java.util.Set;

/**
 * One term of a score and what it did to the log-odds; an immutable value, safe to share between threads.
 *
 * <p>The log-odds of all reasons of a {@link Score} add up to the logit of its probability before clamping to
 * [{@code probability.min}, {@code probability.max}].
 *
 * @param term    one of {@code prior}, {@code evidence}, {@code stale}, {@code missing-source}, {@code conflict},
 *                {@code track-record}, {@code cap}
 * @param logOdds what the term added (negative: took away); for {@code prior}, the logit of the prior itself
 * @param text    what a governor reads
 */
public record Reason(String term, double logOdds, String text) {
    private static final Set<String> TERMS =
            Set.of("prior", "evidence", "stale", "missing-source", "conflict", "track-record", "cap");

    /**
     * Checks the term and the log-odds.
     *
     * @throws IllegalArgumentException when the term is not one of the seven or the log-odds is NaN
     * @throws NullPointerException     when the term or the text is null
     */
    public Reason {
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(text, "text");
        if (!TERMS.contains(term)) {
            throw new IllegalArgumentException("unknown reason term (was \"" + term + "\"), expected one of "
                    + "prior, evidence, stale, missing-source, conflict, track-record, cap");
        }
        if (Double.isNaN(logOdds)) {
            throw new IllegalArgumentException("reason " + term + ": logOdds must be a number (was NaN)");
        }
    }
}
