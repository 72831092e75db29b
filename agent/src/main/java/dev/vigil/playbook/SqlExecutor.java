package dev.vigil.playbook;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Runs {@code sql} steps on PostgreSQL through JDBC: the statement {@link RenderedSql} renders (the one the dry-run
 * plan shows) as a {@link PreparedStatement}, every value a bind parameter, in one transaction whose
 * {@code statement_timeout} is what is left of the step's timeout after connecting. Thread-safe: each run opens and
 * closes its own connection.
 *
 * <p>Values are bound as untyped text ({@link Types#OTHER}), so the server gives each the type its place in the
 * statement needs ({@code LIMIT ?} an integer, {@code usename = ?} a name) and a value is never SQL. A statement the
 * server cancels for its timeout is {@code TIMED_OUT}; connection failures, too many connections, serialization
 * failures and deadlocks are retryable, other SQL errors are not. The output is the rows affected, or the first
 * {@value #MAX_ROWS} rows and the count of the rest; every row is read, so a statement's side effects are whole.
 */
public final class SqlExecutor implements StepExecutor {
    static final int MAX_ROWS = 100;
    /** Client-side backstops beyond the server's statement_timeout, should the server not answer at all. */
    private static final int BACKSTOP_SECONDS = 5;
    private static final Pattern PLAIN = Pattern.compile("^[A-Za-z0-9._:/@+-]*$");
    private static final org.postgresql.Driver DRIVER = new org.postgresql.Driver();

    private final SqlConnections connections;
    private final InstantSource clock;

    public SqlExecutor(SqlConnections connections, InstantSource clock) {
        this.connections = connections;
        this.clock = clock;
    }

    @Override
    public Executor kind() {
        return Executor.SQL;
    }

    @Override
    public StepOutcome run(Step step, int index, Map<String, String> values) {
        if (!(step.action() instanceof StepAction.Sql sql)) {
            throw new IllegalArgumentException("step " + step.name() + " is not an sql step: " + step.executor());
        }
        Optional<String> problem = StepInputs.problem(step, values);
        if (problem.isPresent()) {
            return StepOutcome.refused(problem.get());
        }
        RenderedSql statement = RenderedSql.render(sql, values::get);
        if (!statement.problems().isEmpty()) {
            return StepOutcome.refused("the statement " + String.join(", ", statement.problems()));
        }
        Optional<SqlConnection> connection = connections.get(statement.connection());
        if (connection.isEmpty()) {
            return StepOutcome.refused("no sql connection named " + Quote.quote(statement.connection())
                    + " is configured (configured: " + connections.byName().keySet() + ")");
        }
        return execute(connection.get(), statement, step.timeout());
    }

    private StepOutcome execute(SqlConnection target, RenderedSql statement, Duration timeout) {
        long started = clock.millis();
        Properties props = new Properties();
        props.setProperty("user", target.user());
        try {
            target.password().read().ifPresent(p -> props.setProperty("password", p));
        } catch (IOException e) {
            return StepOutcome.failed("", "sql connection " + target.name() + ": cannot read the password: "
                    + e.getMessage(), 0, false);
        }
        long timeoutSeconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        props.setProperty("connectTimeout", Long.toString(timeoutSeconds));
        props.setProperty("loginTimeout", Long.toString(timeoutSeconds));
        props.setProperty("socketTimeout", Long.toString(timeoutSeconds + BACKSTOP_SECONDS));
        props.setProperty("ApplicationName", "vigil");
        try (Connection c = DRIVER.connect(target.url(), props)) {
            if (c == null) {
                return StepOutcome.refused("sql connection " + target.name() + ": the driver does not accept its url");
            }
            long left = timeout.toMillis() - elapsed(started);
            if (left <= 0) {
                return StepOutcome.timedOut("connected after the step's timeout", elapsed(started));
            }
            c.setAutoCommit(false);
            try {
                try (PreparedStatement limit = c.prepareStatement("SELECT set_config('statement_timeout', ?, true)")) {
                    limit.setString(1, Long.toString(left));
                    limit.execute();
                }
                String output;
                try (PreparedStatement ps = c.prepareStatement(statement.jdbcStatement())) {
                    ps.setQueryTimeout((int) Math.min(Integer.MAX_VALUE, (left + 999) / 1000 + BACKSTOP_SECONDS));
                    List<String> parameters = statement.jdbcParameters();
                    for (int i = 0; i < parameters.size(); i++) {
                        ps.setObject(i + 1, parameters.get(i), Types.OTHER);
                    }
                    output = ps.execute() ? rows(ps.getResultSet()) : affected(ps.getUpdateCount());
                }
                c.commit();
                return StepOutcome.succeeded(output, elapsed(started));
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            return failure(target, e, timeout, started);
        }
    }

    private StepOutcome failure(SqlConnection target, SQLException e, Duration timeout, long started) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String error = "sql connection " + target.name() + ": " + (state.isEmpty() ? "" : "SQLSTATE " + state + ": ")
                + e.getMessage();
        // 57014 query_canceled: statement_timeout or setQueryTimeout fired; a socket timeout past the deadline too
        if (state.equals("57014") || (state.startsWith("08") && elapsed(started) >= timeout.toMillis())) {
            return new StepOutcome(StepOutcome.Status.TIMED_OUT, "", error, elapsed(started), true);
        }
        boolean retryable = state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                || state.equals("40001") || state.equals("40P01");
        return StepOutcome.failed("", error, elapsed(started), retryable);
    }

    private static String rows(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        StringBuilder shown = new StringBuilder();
        long count = 0;
        while (rs.next()) {
            count++;
            if (count > MAX_ROWS) {
                continue;
            }
            shown.append('\n');
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                String value = rs.getString(i);
                shown.append(i == 1 ? "" : " ").append(meta.getColumnLabel(i)).append('=')
                        .append(value == null ? "null" : PLAIN.matcher(value).matches() ? value : Quote.quote(value));
            }
        }
        String head = count + (count == 1 ? " row" : " rows");
        return head + shown + (count > MAX_ROWS ? "\n[" + (count - MAX_ROWS) + " more rows not shown]" : "");
    }

    private static String affected(int count) {
        return count + (count == 1 ? " row affected" : " rows affected");
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is closed next; the server rolls back an open transaction then anyway
        }
    }

    private long elapsed(long started) {
        return Math.max(0, clock.millis() - started);
    }
}
