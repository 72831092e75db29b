package dev.vigil.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A fixed set of synthetic series shaped like what a real Prometheus sends: node, process, Go runtime and HTTP
 * families on many hosts, each with the labels those exporters set, most of them named by no Vigil rule. A fraction
 * ({@code referencedShare}) carries metric names some loaded rule refers to, with healthy values. Immutable and
 * thread-safe; series {@code i} is always the same series.
 */
public final class SeriesSet {
    /** Families a node exporter, a Go service and an HTTP server expose that no Vigil rule reads. */
    static final List<String> UNRELATED = List.of(
            "node_cpu_seconds_total", "node_network_receive_bytes_total", "node_network_transmit_bytes_total",
            "node_disk_read_bytes_total", "node_disk_written_bytes_total", "node_disk_io_time_seconds_total",
            "node_memory_Cached_bytes", "node_memory_Buffers_bytes", "node_load1", "node_load5", "node_load15",
            "node_context_switches_total", "node_intr_total", "node_vmstat_pgfault", "node_netstat_Tcp_ActiveOpens",
            "go_gc_duration_seconds", "go_goroutines", "go_memstats_alloc_bytes", "go_memstats_heap_inuse_bytes",
            "go_threads", "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
            "http_request_duration_seconds_bucket", "http_request_duration_seconds_sum", "http_requests_in_flight",
            "grpc_server_handled_total", "grpc_server_handling_seconds_bucket", "promhttp_metric_handler_requests_total",
            "scrape_duration_seconds", "scrape_samples_scraped", "kube_pod_status_phase", "kube_deployment_spec_replicas",
            "container_network_receive_packets_total", "container_fs_reads_bytes_total");
    private static final String[] MODES = {"user", "system", "idle", "iowait", "irq", "softirq", "steal", "nice"};
    private static final String[] JOBS = {"node", "api", "checkout", "payments", "search", "worker", "gateway", "auth"};

    private final int size;
    private final int referencedEvery;
    private final List<String> referenced;
    private final int hosts;

    /**
     * @param size            how many series
     * @param referencedShare share of series (0..1) named by a rule, e.g. 0.05; 0 sends only unrelated names
     * @param referenced      metric names the loaded rules refer to (used when {@code referencedShare > 0})
     */
    public SeriesSet(int size, double referencedShare, Set<String> referenced) {
        if (size < 1) {
            throw new IllegalArgumentException("a series set needs at least one series, was " + size);
        }
        if (!(referencedShare >= 0 && referencedShare <= 1)) {
            throw new IllegalArgumentException("referenced share must be within 0..1, was " + referencedShare);
        }
        if (referencedShare > 0 && referenced.isEmpty()) {
            throw new IllegalArgumentException("referenced share " + referencedShare + " needs referenced metric names");
        }
        this.size = size;
        this.referencedEvery = referencedShare == 0 ? 0 : (int) Math.max(1, Math.round(1 / referencedShare));
        this.referenced = List.copyOf(new TreeSet<>(referenced));
        this.hosts = Math.max(1, size / 400); // a node exporter plus an app on a host expose about 400 series
    }

    public int size() {
        return size;
    }

    /** Whether series {@code i} has a name some rule refers to. */
    public boolean referenced(int i) {
        return referencedEvery > 0 && i % referencedEvery == 0;
    }

    /** The metric name of series {@code i}. */
    public String name(int i) {
        return referenced(i) ? referenced.get((i / referencedEvery) % referenced.size()) : UNRELATED.get(i % UNRELATED.size());
    }

    /** Whether series {@code i} is a counter (by the Prometheus naming convention). */
    public boolean counter(int i) {
        String n = name(i);
        return n.endsWith("_total") || n.endsWith("_bucket") || n.endsWith("_count") || n.endsWith("_sum");
    }

    /**
     * The labels of series {@code i} besides {@code __name__}, as name/value pairs sorted by name. The last label
     * ({@code series}) keeps every index distinct, as a real {@code cpu}/{@code device}/{@code le} label would.
     */
    public List<String[]> labels(int i) {
        int host = (i / UNRELATED.size()) % hosts;
        List<String[]> out = new ArrayList<>(5);
        out.add(new String[] {"instance", "host-" + host + ":9100"});
        out.add(new String[] {"job", JOBS[host % JOBS.length]});
        out.add(new String[] {"mode", MODES[i % MODES.length]});
        out.add(new String[] {"series", Integer.toString(i)});
        return out;
    }

    /**
     * The value of series {@code i}, the same in every round, healthy by every rule: counters hold still (no errors,
     * restarts or growth), "is it working" gauges read 1, capacities and free space are large, other gauges (usage,
     * lag, offsets, waits) read 0. The background load then opens no diagnosis of its own.
     */
    public double value(int i) {
        String n = name(i);
        if (counter(i)) {
            return 1000 + i % 5;
        }
        if (n.equals("up") || n.contains("success") || n.contains("sync_status") || n.contains("ready")) {
            return 1;
        }
        if (n.contains("max") || n.contains("limit") || n.contains("size") || n.contains("capacity")
                || n.contains("avail") || n.contains("free")) {
            return 1e9;
        }
        return 0;
    }
}
