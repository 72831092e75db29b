package dev.vigil.playbook;

import dev.vigil.content.Durations;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One typed parameter of a playbook: where its value comes from and what a value must look like. Immutable.
 *
 * @param name         {@code ^[a-z][a-z0-9_]*$}, unique within the playbook
 * @param from         sources tried in order, each {@code target.<label>} or {@code evidence.<binding>}; may be empty
 * @param defaultValue used when no source has a value (already valid against this spec)
 * @param required     when false, the parameter may stay unbound (unless a step that runs names it)
 * @param pattern      anchored regular expression, for {@link ParameterType#STRING} only
 * @param minimum      inclusive bound, for {@link ParameterType#INTEGER} and {@link ParameterType#NUMBER}
 * @param maximum      inclusive bound, for {@link ParameterType#INTEGER} and {@link ParameterType#NUMBER}
 * @param values       the allowed values of an {@link ParameterType#ENUM}; empty otherwise
 * @param roots        a {@link ParameterType#PATH} must be one of these or below one; empty otherwise
 */
public record ParameterSpec(String name, ParameterType type, String description, List<String> from,
                            Optional<String> defaultValue, boolean required, Optional<String> pattern,
                            Optional<BigDecimal> minimum, Optional<BigDecimal> maximum, List<String> values,
                            List<String> roots) {
    /** No value, however typed, may be longer than this. */
    public static final int MAX_LENGTH = 1024;

    private static final Pattern INTEGER = Pattern.compile("^-?(0|[1-9][0-9]{0,17})$");
    private static final Pattern NUMBER = Pattern.compile("^-?(0|[1-9][0-9]{0,14})(\\.[0-9]{1,15})?$");
    private static final Pattern LABEL = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$");
    private static final Pattern IPV4 =
            Pattern.compile("^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$");

    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
        from = List.copyOf(from);
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(minimum, "minimum");
        Objects.requireNonNull(maximum, "maximum");
        values = List.copyOf(values);
        roots = List.copyOf(roots);
    }

    /**
     * What is wrong with an untrusted value, as the end of a sentence ({@code does not match ^[a-z]+$}); empty when
     * the value is valid. Never throws, whatever the value.
     */
    public Optional<String> problemWith(String value) {
        if (value == null) {
            return Optional.of("is missing");
        }
        if (value.length() > MAX_LENGTH) {
            return Optional.of("is too long (" + value.length() + " characters, at most " + MAX_LENGTH + ")");
        }
        if (Quote.hasControl(value)) {
            return Optional.of("contains a control character");
        }
        return switch (type) {
            case STRING -> checkString(value);
            case INTEGER -> checkNumber(value, INTEGER, "an integer");
            case NUMBER -> checkNumber(value, NUMBER, "a number");
            case ENUM -> values.contains(value) ? Optional.empty()
                    : Optional.of("is not one of " + values);
            case HOSTNAME -> isHostname(value) ? Optional.empty()
                    : Optional.of("is not a host name or an IPv4 address");
            case PATH -> checkPath(value);
            case DURATION -> Durations.valid(value) ? Optional.empty()
                    : Optional.of("is not a duration like 90s, 5m, 1h or 7d");
        };
    }

    private Optional<String> checkString(String value) {
        String p = pattern.orElseThrow();
        if (!Pattern.compile(p).matcher(value).matches()) {
            return Optional.of("does not match " + p);
        }
        if (value.equals(".") || value.equals("..")) {
            return Optional.of("is a dot segment");
        }
        return Optional.empty();
    }

    private Optional<String> checkNumber(String value, Pattern form, String what) {
        if (!form.matcher(value).matches()) {
            return Optional.of("is not " + what);
        }
        BigDecimal v = new BigDecimal(value);
        if (minimum.isPresent() && v.compareTo(minimum.get()) < 0) {
            return Optional.of("is below the minimum " + minimum.get().toPlainString());
        }
        if (maximum.isPresent() && v.compareTo(maximum.get()) > 0) {
            return Optional.of("is above the maximum " + maximum.get().toPlainString());
        }
        return Optional.empty();
    }

    private Optional<String> checkPath(String value) {
        if (!value.startsWith("/")) {
            return Optional.of("is not an absolute path");
        }
        if (!value.equals("/")) {
            for (String segment : value.substring(1).split("/", -1)) {
                if (segment.equals("..")) {
                    return Optional.of("contains a '..' segment");
                }
            }
            for (String segment : value.substring(1).split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".")) {
                    return Optional.of("is not a normalised path (no '.', '//' or trailing '/')");
                }
            }
        }
        if (!isUnderAny(value, roots)) {
            return Optional.of("is not under one of " + roots);
        }
        return Optional.empty();
    }

    static boolean isUnderAny(String path, List<String> roots) {
        for (String root : roots) {
            if (root.equals("/") || path.equals(root) || path.startsWith(root + "/")) {
                return true;
            }
        }
        return false;
    }

    /** True for an RFC 1123 host name (labels of letters, digits and inner hyphens) or a dotted IPv4 address. */
    static boolean isHostname(String value) {
        if (value.isEmpty() || value.length() > 253) {
            return false;
        }
        if (IPV4.matcher(value).matches()) {
            return true;
        }
        String[] labels = value.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // an all-digit last label is a mistyped IPv4 address, not a name
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }
}
