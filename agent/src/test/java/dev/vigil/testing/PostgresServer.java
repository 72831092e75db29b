package dev.vigil.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway PostgreSQL cluster from {@link RealServers#postgres()}: superuser {@value #USER}, database {@value #DATABASE},
 * trust authentication, on 127.0.0.1. There is no JDBC driver on the test classpath: {@link #psql} runs SQL through the
 * psql client, and {@link #jdbcUrl()} is there for tests that bring their own driver.
 */
public final class PostgresServer extends RealServer {
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    private static final Duration PSQL_TIMEOUT = Duration.ofSeconds(30);

    private final List<String> runAs;

    PostgresServer(int port, Path workDir, Path logFile, Stopper stopper, List<String> runAs) {
        super("postgres", "127.0.0.1", port, workDir, logFile, stopper);
        this.runAs = runAs;
    }

    public String user() {
        return USER;
    }

    public String database() {
        return DATABASE;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + DATABASE;
    }

    /** The libpq URL, as postgres_exporter's DATA_SOURCE_NAME wants it. */
    public String dataSourceName() {
        return "postgresql://" + USER + "@" + host() + ":" + port() + "/" + DATABASE + "?sslmode=disable";
    }

    /**
     * Runs SQL with psql (unaligned, tuples only: {@code select 1} gives "1") and returns what it printed, trimmed.
     * An SQL error fails the test with psql's message.
     */
    public String psql(String sql) {
        List<String> command = new ArrayList<>(runAs);
        command.addAll(List.of(Binaries.PSQL, "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", host(),
                "-p", Integer.toString(port()), "-U", USER, "-d", DATABASE, "-c", sql));
        return Commands.runOrFail("psql", command, workDir(), PSQL_TIMEOUT).strip();
    }
}
