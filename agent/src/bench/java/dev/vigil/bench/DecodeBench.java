package dev.vigil.bench;

import dev.vigil.ingest.BadPayloadException;
import dev.vigil.ingest.Decoded;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.MetricFilter;
import dev.vigil.ingest.RemoteWriteDecoder;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * remote_write samples decoded per second on one thread (an event loop's work per request): a body of {@value #BATCH}
 * series, 5 % of them named by a rule, decoded keeping every metric, or only those the rules refer to.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class DecodeBench {
    static final int BATCH = 2000;
    private static final Set<String> RULE_NAMES = Set.of("up", "node_filesystem_avail_bytes", "node_filesystem_size_bytes",
            "process_open_fds", "process_max_fds", "jvm_memory_used_bytes", "hikaricp_connections_active");

    @Param({"all", "referenced"})
    public String keep;

    private byte[] body;
    private MetricFilter filter;

    @Setup
    public void setUp() {
        body = new RemoteWriteBody(new SeriesSet(BATCH, 0.05, RULE_NAMES)).body(0, BATCH, 1_704_067_200_000L);
        filter = keep.equals("all") ? MetricFilter.ALL : RULE_NAMES::contains;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Decoded decode() throws BadPayloadException {
        return RemoteWriteDecoder.decode(body, IngestLimits.DEFAULTS, filter);
    }
}
