package dev.vigil.ingest;

import java.math.BigDecimal;

/** Prometheus naming: the metric-name grammar, the normalisation of OTLP names, and float label values. Stateless. */
final class PromNames {
    private PromNames() {
    }

    /** Whether {@code name} matches {@code [a-zA-Z_:][a-zA-Z0-9_:]*} (by hand: it runs for every series received). */
    static boolean isValidMetricName(String name) {
        if (name.isEmpty() || isDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isWordChar(c) && c != ':') {
                return false;
            }
        }
        return true;
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
