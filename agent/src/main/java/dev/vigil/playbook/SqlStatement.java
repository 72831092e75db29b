package dev.vigil.playbook;

import java.util.ArrayList;
import java.util.List;

/**
 * Scans a SQL statement for {@code :name} bind placeholders, outside quotes, quoted identifiers, dollar quotes and
 * comments ({@code ::} casts are not placeholders), and produces the JDBC form with {@code ?}. Immutable.
 *
 * @param placeholders the names in the order they appear, repeats included (the JDBC parameter order)
 * @param jdbc         the statement with every placeholder replaced by {@code ?}
 * @param problems     what makes the statement unfit for a playbook; empty when it is fine
 */
record SqlStatement(List<String> placeholders, String jdbc, List<String> problems) {
    SqlStatement {
        placeholders = List.copyOf(placeholders);
        problems = List.copyOf(problems);
    }

    static SqlStatement scan(String sql) {
        List<String> names = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        StringBuilder jdbc = new StringBuilder(sql.length());
        int n = sql.length();
        int i = 0;
        boolean ended = false;
        while (i < n) {
            char c = sql.charAt(i);
            if (ended && !Character.isWhitespace(c) && !sql.startsWith("--", i) && !sql.startsWith("/*", i)) {
                problems.add("holds more than one statement");
                break;
            }
            if (c == '\'' || c == '"') {
                int end = closing(sql, i + 1, c);
                if (end < 0) {
                    problems.add("has an unterminated " + (c == '\'' ? "string" : "quoted identifier"));
                    break;
                }
                jdbc.append(sql, i, end + 1);
                i = end + 1;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                jdbc.append(sql, i, end);
                i = end;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) {
                    problems.add("has an unterminated comment");
                    break;
                }
                jdbc.append(sql, i, end + 2);
                i = end + 2;
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int end = sql.indexOf(tag, i + tag.length());
                if (end < 0) {
                    problems.add("has an unterminated dollar quote");
                    break;
                }
                jdbc.append(sql, i, end + tag.length());
                i = end + tag.length();
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                jdbc.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) >= 'a' && sql.charAt(i + 1) <= 'z') {
                int end = i + 1;
                while (end < n && (Character.isLowerCase(sql.charAt(end)) || Character.isDigit(sql.charAt(end))
                        || sql.charAt(end) == '_')) {
                    end++;
                }
                names.add(sql.substring(i + 1, end));
                jdbc.append('?');
                i = end;
            } else if (c == '?') {
                problems.add("may not contain '?' outside quotes: name bind parameters like :this");
                jdbc.append(c);
                i++;
            } else if (c == ';') {
                ended = true;
                i++;
            } else {
                jdbc.append(c);
                i++;
            }
        }
        return new SqlStatement(names, jdbc.toString().strip(), problems);
    }

    /** The index of the closing quote, skipping doubled quotes; -1 when there is none. */
    private static int closing(String sql, int from, char quote) {
        int i = from;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return -1;
    }

    /** {@code $$} or {@code $tag$} starting at {@code i}, or null. */
    private static String dollarTag(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        if (j < sql.length() && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
            return sql.substring(i, j + 1);
        }
        return null;
    }
}
