package dev.vigil.playbook;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The exact statement and bind values a {@code sql} step runs: rendered once here for both the dry-run plan and
 * {@link SqlExecutor}, so the audited plan is what runs. Values are never part of the statement. Immutable.
 *
 * @param statement      the playbook's text, with {@code :name} placeholders
 * @param bind           the value of each bind parameter, by name
 * @param jdbcStatement  the statement with {@code ?} for each placeholder
 * @param placeholders   the parameter name of each {@code ?}, in order (a name used twice appears twice)
 * @param problems       what makes the statement unfit to run; empty when it is fine (the loader refuses the rest)
 */
record RenderedSql(String connection, String statement, Map<String, String> bind, String jdbcStatement,
                   List<String> placeholders, List<String> problems) {
    RenderedSql {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(statement, "statement");
        bind = Collections.unmodifiableMap(new LinkedHashMap<>(bind));
        Objects.requireNonNull(jdbcStatement, "jdbcStatement");
        placeholders = List.copyOf(placeholders);
        problems = List.copyOf(problems);
    }

    static RenderedSql render(StepAction.Sql sql, UnaryOperator<String> valueOf) {
        String connection = Templates.render(sql.connection(), valueOf);
        SqlStatement scan = SqlStatement.scan(sql.statement());
        Map<String, String> bind = new LinkedHashMap<>();
        for (String name : sql.bind()) {
            bind.put(name, valueOf.apply(name));
        }
        List<String> problems = new ArrayList<>(scan.problems());
        for (String name : scan.placeholders()) {
            if (!bind.containsKey(name)) {
                problems.add("placeholder :" + name + " is not in bind");
            }
        }
        return new RenderedSql(connection, sql.statement(), bind, scan.jdbc(), scan.placeholders(), problems);
    }

    /** The value of each {@code ?}, in order. */
    List<String> jdbcParameters() {
        return placeholders.stream().map(bind::get).toList();
    }

    /** Adds the plan's detail fields, values typed by their specs (integers and numbers as numbers). */
    void describe(Map<String, Object> detail, Map<String, ParameterSpec> specs) {
        Map<String, Object> typedBind = new LinkedHashMap<>();
        bind.forEach((name, value) -> typedBind.put(name, typed(specs.get(name), value)));
        List<Object> typedParameters = new ArrayList<>();
        placeholders.forEach(name -> typedParameters.add(typedBind.get(name)));
        detail.put("connection", connection);
        detail.put("statement", statement);
        detail.put("bind", Collections.unmodifiableMap(typedBind));
        detail.put("jdbc_statement", jdbcStatement);
        detail.put("jdbc_parameters", Collections.unmodifiableList(typedParameters));
    }

    String summary(Map<String, ParameterSpec> specs, int textLimit) {
        String text = statement.replaceAll("\\s+", " ").strip();
        StringBuilder sb = new StringBuilder("sql on ").append(connection).append(": ")
                .append(text.length() <= textLimit ? text : text.substring(0, textLimit) + "…");
        if (!bind.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            bind.forEach((k, v) -> pairs.add(k + "=" + (typed(specs.get(k), v) instanceof String s ? Quote.quote(s) : v)));
            sb.append(" with ").append(String.join(", ", pairs));
        }
        return sb.toString();
    }

    private static Object typed(ParameterSpec spec, String value) {
        if (spec == null || value == null) {
            return value;
        }
        return switch (spec.type()) {
            case INTEGER -> Long.valueOf(value);
            case NUMBER -> new BigDecimal(value);
            default -> value;
        };
    }
}
