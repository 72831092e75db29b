package dev.vigil.playbook;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A condition on facts, used as a precondition (checked before a run) and in a verification (must hold within a
 * deadline after it). Match values may hold {@code {{parameter}}} templates. Immutable.
 */
public sealed interface Condition permits Condition.OnMetric, Condition.EvidenceAbsent {

    /** Label matchers of the condition, templates in place. */
    Map<String, String> match();

    /** How the matching series are reduced to one number; every reduction sums over the matching series. Immutable. */
    enum Aggregation {
        /** The newest values, summed. */
        VALUE,
        /** How many series match. */
        COUNT,
        /** Per-second counter rate over {@code over}. */
        RATE,
        /** Counter increase over {@code over}. */
        INCREASE,
        /** Gauge change over {@code over} (newest minus oldest). */
        DELTA,
        /** The value is a Unix time in seconds: seconds from now until it. */
        TIME_UNTIL;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses the content form; null when unknown. */
        public static Aggregation parse(String text) {
            for (Aggregation a : values()) {
                if (a.wireName().equals(text)) {
                    return a;
                }
            }
            return null;
        }

        /** True when the reduction needs a window. */
        public boolean windowed() {
            return this == RATE || this == INCREASE || this == DELTA;
        }
    }

    /** A comparison operator. Immutable. */
    enum Comparison {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** Parses the content form; null when unknown. */
        public static Comparison parse(String text) {
            for (Comparison c : values()) {
                if (c.symbol.equals(text)) {
                    return c;
                }
            }
            return null;
        }

        /** {@code left op right}; false when either side is NaN. */
        public boolean test(double left, double right) {
            if (Double.isNaN(left) || Double.isNaN(right)) {
                return false;
            }
            return switch (this) {
                case EQ -> left == right;
                case NE -> left != right;
                case LT -> left < right;
                case LE -> left <= right;
                case GT -> left > right;
                case GE -> left >= right;
            };
        }
    }

    /** The series of one metric that match the labels, reduced by {@code of} (over a window when it needs one). Immutable. */
    record Series(String metric, Map<String, String> match, Aggregation of, Optional<Duration> over) {
        public Series {
            Objects.requireNonNull(metric, "metric");
            match = Collections.unmodifiableMap(new LinkedHashMap<>(match));
            Objects.requireNonNull(of, "of");
            Objects.requireNonNull(over, "over");
        }
    }

    /** {@code series [/ divideBy] op value}: a threshold, or a threshold on a ratio of two series. Immutable. */
    record OnMetric(Series series, Optional<Series> divideBy, Comparison op, BigDecimal value) implements Condition {
        public OnMetric {
            Objects.requireNonNull(series, "series");
            Objects.requireNonNull(divideBy, "divideBy");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Map<String, String> match() {
            return series.match();
        }
    }

    /**
     * No evidence with this key (of this signature, or of any when empty) on a target matching the labels for
     * {@code absentFor}: the symptom the playbook treats has stopped. Immutable.
     */
    record EvidenceAbsent(String evidence, String signature, Map<String, String> match, Duration absentFor)
            implements Condition {
        public EvidenceAbsent {
            Objects.requireNonNull(evidence, "evidence");
            signature = signature == null ? "" : signature;
            match = Collections.unmodifiableMap(new LinkedHashMap<>(match));
            Objects.requireNonNull(absentFor, "absentFor");
        }
    }
}
