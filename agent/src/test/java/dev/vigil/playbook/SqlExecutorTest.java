package dev.vigil.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.content.ContentException;
import dev.vigil.testing.PostgresServer;
import dev.vigil.testing.RealServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The sql executor against a real PostgreSQL: values stay bind parameters, the timeout cancels, the playbook works. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqlExecutorTest {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2024-05-01T12:00:00Z"));

    private PostgresServer postgres;
    private SqlExecutor executor;

    @BeforeAll
    void startPostgres() {
        postgres = RealServers.postgres();
        executor = new SqlExecutor(SqlConnections.of(List.of(
                new SqlConnection("orders-db", postgres.jdbcUrl(), PostgresServer.USER, SqlConnection.Password.none()))),
                CLOCK);
    }

    @AfterAll
    void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static Step sql(String statement, List<String> bind, Duration timeout) {
        return new Step("query", timeout, When.ALWAYS, new StepAction.Sql("orders-db", statement, bind));
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER, "");
    }

    @Test
    void terminateIdleInTransactionPlaybook_terminatesTheSessionLeftIdleInATransactionAndNoOther() throws Exception {
        Playbook p = Library.playbook("pg-terminate-idle-in-transaction");
        try (Connection idleInTransaction = connect(); Connection idle = connect()) {
            idleInTransaction.setAutoCommit(false);
            int victim = pid(idleInTransaction);
            int bystander = pid(idle);
            // idle_minutes is 0 so the test need not wait a minute (the playbook's own minimum is 1)
            Map<String, String> values = Map.of("service", "orders-db", "idle_minutes", "0", "max_sessions", "100");

            StepOutcome outcome = executor.run(p.steps().get(0), 0, values);

            assertEquals(StepOutcome.Status.SUCCEEDED, outcome.status(), outcome::toString);
            assertEquals("1 row\npid=" + victim + " terminated=t", outcome.output());
            assertThrows(SQLException.class, () -> pid(idleInTransaction), "the idle transaction's session is gone");
            assertEquals(bystander, pid(idle), "a session idle outside a transaction is left alone");
            assertEquals("0", postgres.psql("SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction'"));
        }
    }

    @Test
    void statementBeyondTheTimeout_isCancelledByTheServerAndReportedTimedOut() throws Exception {
        Step step = sql("SELECT pg_sleep(:seconds)", List.of("seconds"), Duration.ofSeconds(1));

        StepOutcome outcome = CompletableFuture.supplyAsync(() -> executor.run(step, 0, Map.of("seconds", "30")))
                .get(15, TimeUnit.SECONDS);

        assertEquals(StepOutcome.Status.TIMED_OUT, outcome.status(), outcome::toString);
        assertTrue(outcome.retryable());
        assertTrue(outcome.error().contains("SQLSTATE 57014"), outcome.error());
        assertEquals("0", postgres.psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'"),
                "nothing is left running");
    }

    @Test
    void hostileValue_isStoredAsAValueAndTheTableIsStillThere() {
        postgres.psql("CREATE TABLE victims (name text)");
        String hostile = "'; DROP TABLE victims; --";
        Step step = sql("INSERT INTO victims (name) VALUES (:name)", List.of("name"), Duration.ofSeconds(10));

        StepOutcome outcome = executor.run(step, 0, Map.of("name", hostile));

        assertEquals(StepOutcome.Status.SUCCEEDED, outcome.status(), outcome::toString);
        assertEquals("1 row affected", outcome.output());
        assertEquals(hostile, postgres.psql("SELECT name FROM victims"));
    }

    @Test
    void valueWithAControlCharacterOrOfAHundredKilobytes_isRefusedBeforeConnecting() {
        Step step = sql("SELECT :name AS name", List.of("name"), Duration.ofSeconds(10));

        StepOutcome newline = executor.run(step, 0, Map.of("name", "x\n; DROP TABLE victims"));
        StepOutcome huge = executor.run(step, 0, Map.of("name", "x".repeat(100 * 1024)));

        assertEquals(StepOutcome.Status.REFUSED, newline.status());
        assertEquals("parameter name: value \"x\\n; DROP TABLE victims\" contains a control character", newline.error());
        assertEquals(StepOutcome.Status.REFUSED, huge.status());
        assertEquals("parameter name: value is too long (102400 characters)", huge.error());
    }

    @Test
    void valuesTakeTheTypeTheirPlaceNeeds_andRowsBeyondTheFirstHundredAreCounted() {
        Step step = sql("SELECT i, :label AS label FROM generate_series(1, :n) AS i", List.of("label", "n"),
                Duration.ofSeconds(10));

        StepOutcome outcome = executor.run(step, 0, Map.of("label", "a b", "n", "250"));

        assertEquals(StepOutcome.Status.SUCCEEDED, outcome.status(), outcome::toString);
        assertTrue(outcome.output().startsWith("250 rows\ni=1 label=\"a b\"\ni=2 label=\"a b\"\n"), outcome.output());
        assertTrue(outcome.output().contains("\ni=100 label="), outcome.output());
        assertFalse(outcome.output().contains("\ni=101 "), outcome.output());
        assertTrue(outcome.output().endsWith("\n[150 more rows not shown]"), outcome.output());
    }

    @Test
    void sqlError_failsForGoodWithItsState() {
        StepOutcome outcome = executor.run(sql("SELECT * FROM no_such_table", List.of(), Duration.ofSeconds(10)), 0, Map.of());

        assertEquals(StepOutcome.Status.FAILED, outcome.status());
        assertFalse(outcome.retryable());
        assertTrue(outcome.error().startsWith("sql connection orders-db: SQLSTATE 42P01: "), outcome.error());
    }

    @Test
    void failedStatement_leavesNothingBehind() {
        postgres.psql("CREATE TABLE ledger (n int)");
        Step step = sql("INSERT INTO ledger SELECT 1 / (3 - g) FROM generate_series(1, :to) AS g", List.of("to"),
                Duration.ofSeconds(10));

        StepOutcome outcome = executor.run(step, 0, Map.of("to", "3"));

        assertEquals(StepOutcome.Status.FAILED, outcome.status());
        assertTrue(outcome.error().contains("SQLSTATE 22012"), outcome.error());
        assertEquals("0", postgres.psql("SELECT count(*) FROM ledger"), "the transaction was rolled back");
    }

    @Test
    void unknownConnection_isRefusedNamingTheConfiguredOnes() {
        Step step = new Step("query", Duration.ofSeconds(5), When.ALWAYS, new StepAction.Sql("{{service}}", "SELECT 1", List.of()));

        StepOutcome outcome = executor.run(step, 0, Map.of("service", "billing-db"));

        assertEquals(StepOutcome.Status.REFUSED, outcome.status());
        assertEquals("no sql connection named \"billing-db\" is configured (configured: [orders-db])", outcome.error());
    }

    @Test
    void unreachableServer_failsAsRetryable() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        SqlExecutor elsewhere = new SqlExecutor(SqlConnections.of(List.of(new SqlConnection("orders-db",
                "jdbc:postgresql://127.0.0.1:" + closed + "/postgres", "postgres", SqlConnection.Password.none()))), CLOCK);

        StepOutcome outcome = elsewhere.run(sql("SELECT 1", List.of(), Duration.ofSeconds(5)), 0, Map.of());

        assertEquals(StepOutcome.Status.FAILED, outcome.status());
        assertTrue(outcome.retryable());
        assertTrue(outcome.error().contains("SQLSTATE 08001"), outcome.error());
    }

    @Test
    void passwordFromAFile_isUsedAndNeverPrinted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("orders-db.password");
        Files.writeString(file, "s3cr3t-Value\n");
        postgres.psql("CREATE ROLE vigil_reader LOGIN PASSWORD 's3cr3t-Value'");
        SqlConnection connection = new SqlConnection("orders-db", postgres.jdbcUrl(), "vigil_reader",
                SqlConnection.Password.file(file));

        StepOutcome outcome = new SqlExecutor(SqlConnections.of(List.of(connection)), CLOCK)
                .run(sql("SELECT current_user AS who", List.of(), Duration.ofSeconds(10)), 0, Map.of());

        assertEquals("1 row\nwho=vigil_reader", outcome.output(), outcome::toString);
        assertEquals("s3cr3t-Value", connection.password().read().orElseThrow());
        assertFalse(connection.toString().contains("s3cr3t"), connection.toString());
        assertTrue(connection.toString().contains("<secret>"), connection.toString());
    }

    @Test
    void unsetPasswordVariable_failsForGoodAndSaysWhich() {
        SqlConnection connection = new SqlConnection("orders-db", postgres.jdbcUrl(), "postgres",
                SqlConnection.Password.env("VIGIL_TEST_UNSET_PASSWORD_VARIABLE"));

        StepOutcome outcome = new SqlExecutor(SqlConnections.of(List.of(connection)), CLOCK)
                .run(sql("SELECT 1", List.of(), Duration.ofSeconds(5)), 0, Map.of());

        assertEquals(StepOutcome.Status.FAILED, outcome.status());
        assertFalse(outcome.retryable());
        assertEquals("sql connection orders-db: cannot read the password: environment variable "
                + "VIGIL_TEST_UNSET_PASSWORD_VARIABLE is not set", outcome.error());
    }

    @Test
    void connectionToAnotherDatabaseKind_isMisconfiguration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SqlConnection("orders-db",
                "jdbc:mysql://db/orders", "vigil", SqlConnection.Password.none()));
        assertEquals("sql connection orders-db: url \"jdbc:mysql://db/orders\" is not a jdbc:postgresql: URL", e.getMessage());
    }

    @Test
    void connectionConfiguredTwice_isMisconfiguration() {
        SqlConnection one = new SqlConnection("orders-db", "jdbc:postgresql://db-1/orders", "vigil", SqlConnection.Password.none());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SqlConnections.of(List.of(one, one)));
        assertEquals("sql connection orders-db is configured twice", e.getMessage());
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
