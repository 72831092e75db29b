package dev.vigil.ingest;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/** Prometheus naming: the metric-name grammar, the normalisation of OTLP names, and float label values. Stateless. */
final class PromNames {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromNames() {
    }

    /** Whether {@code name} matches {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
    static boolean isValidMetricName(String name) {
        return METRIC_NAME.matcher(name).matches();
    }

    /** Every code point outside {@code [a-zA-Z0-9_]} becomes {@code _}; a leading digit gets a {@code _} prefix. */
    static String normalize(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 1);
        if (!name.isEmpty() && isDigit(name.charAt(0))) {
            sb.append('_');
        }
        name.codePoints().forEach(cp -> sb.append(isWordChar(cp) ? (char) cp : '_'));
        return sb.toString();
    }

    /** A float as Prometheus writes {@code le} and {@code quantile}: {@code 0.5}, {@code 1}, {@code +Inf}. */
    static String formatFloat(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordChar(int c) {
        return c == '_' || isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
