package dev.vigil.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.fact.Alert;
import dev.vigil.fact.LogPatternRate;
import dev.vigil.fact.SeriesState;
import dev.vigil.testing.PostgresServer;
import dev.vigil.testing.RealServer;
import dev.vigil.testing.RealServers;
import dev.vigil.testing.RsyslogServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients and servers from the Debian packages talking to the daemon, each test asserting that the data reached
 * the engine as facts (not only that a request returned 200). Skipped on a machine without the packages, failed
 * under CI=true (see {@link RealServers}).
 */
class RealClientsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private TestDaemon daemon(String extra) throws Exception {
        return TestDaemon.start("""
                listen: {host: 127.0.0.1, port: 0}
                data_dir: %s
                host_probe: {enabled: false}
                %s
                """.formatted(tmp.resolve("data"), extra));
    }

    @Test
    void prometheusScrapesNodeExporterAndRemoteWritesToVigil() throws Exception {
        try (TestDaemon vigil = daemon("");
             RealServer node = RealServers.nodeExporter();
             RealServer prometheus = RealServers.prometheus("""
                     global: {scrape_interval: 1s, evaluation_interval: 1s}
                     scrape_configs:
                       - job_name: node
                         static_configs: [{targets: ['127.0.0.1:%d']}]
                     remote_write:
                       - url: %s/api/v1/write
                         queue_config: {batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s}
                     """.formatted(node.port(), vigil.base()))) {
            TestDaemon.eventually(WAIT, "node_filesystem_avail_bytes of job node arrives by remote_write\n" + prometheus.logTail(),
                    () -> vigil.holds(SeriesState.class, s -> s.name().equals("node_filesystem_avail_bytes")
                            && "node".equals(s.labels().get("job"))));
            assertTrue(vigil.daemon.stats().accepted("remote_write") > 0);
            assertEquals(0, vigil.daemon.stats().rejectedTotal(), vigil.daemon.stats().rejectedSnapshot().toString());
        }
    }

    @Test
    void vigilScrapesNodeExporterItself() throws Exception {
        try (RealServer node = RealServers.nodeExporter();
             TestDaemon vigil = daemon("scrape: [{url: '%s/metrics', job: node, interval: 1s, timeout: 1s}]".formatted(node.baseUrl()))) {
            TestDaemon.eventually(WAIT, "node_filesystem_size_bytes and up of job node are in the session",
                    () -> vigil.holds(SeriesState.class, s -> s.name().equals("node_filesystem_size_bytes") && "node".equals(s.labels().get("job")))
                            && vigil.holds(SeriesState.class, s -> s.name().equals("up") && s.value() == 1));
            assertTrue(vigil.daemon.stats().accepted("scrape") > 0);
        }
    }

    @Test
    void vigilScrapesPostgresExporterInFrontOfARealPostgres() throws Exception {
        PostgresServer postgres = RealServers.postgres();
        try (postgres;
             RealServer exporter = RealServers.postgresExporter(postgres);
             TestDaemon vigil = daemon("scrape: [{url: '%s/metrics', job: orders-db, interval: 1s, timeout: 1s}]".formatted(exporter.baseUrl()))) {
            TestDaemon.eventually(WAIT, "pg_settings_max_connections of orders-db is in the session",
                    () -> vigil.holds(SeriesState.class, s -> s.name().equals("pg_settings_max_connections")
                            && s.service().equals("orders-db") && s.value() > 0));
        }
    }

    @Test
    void alertmanagerDeliversAlertsToTheWebhook() throws Exception {
        try (TestDaemon vigil = daemon("");
             RealServer alertmanager = RealServers.alertmanager("""
                     route: {receiver: vigil, group_wait: 0s, group_interval: 1s}
                     receivers:
                       - name: vigil
                         webhook_configs: [{url: '%s/api/v1/alerts', send_resolved: true}]
                     """.formatted(vigil.base()))) {
            var posted = alertmanager.post("/api/v2/alerts", "application/json",
                    "[{\"labels\": {\"alertname\": \"PostgresDown\", \"instance\": \"db-1:9187\", \"severity\": \"critical\"},"
                            + " \"annotations\": {\"summary\": \"orders-db is down\"}}]");
            assertEquals(200, posted.statusCode(), posted.body());
            TestDaemon.eventually(WAIT, "the PostgresDown alert is a fact\n" + alertmanager.logTail(),
                    () -> vigil.holds(Alert.class, a -> "PostgresDown".equals(a.labels().get("alertname")) && a.firing()
                            && "orders-db is down".equals(a.annotations().get("summary"))));
        }
    }

    @Test
    void rsyslogForwardsOverTcpToVigil() throws Exception {
        try (TestDaemon vigil = daemon("syslog: {host: 127.0.0.1, port: 0}")) {
            int port = vigil.daemon.syslogPort().orElseThrow();
            RsyslogServer rsyslog = RealServers.rsyslog(RsyslogServer.forwardTcp(port));
            try (rsyslog) {
                rsyslog.logger("checkout", "ERROR connection to orders-db refused");
                TestDaemon.eventually(WAIT, "the forwarded record is a LogPatternRate of checkout\n" + rsyslog.logTail(),
                        () -> vigil.holds(LogPatternRate.class, l -> l.service().equals("checkout")));
            }
        }
    }
}
