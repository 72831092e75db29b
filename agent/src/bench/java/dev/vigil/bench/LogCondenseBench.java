package dev.vigil.bench;

import dev.vigil.condense.CondenseConfig;
import dev.vigil.condense.Condenser;
import dev.vigil.condense.FactSink;
import dev.vigil.condense.LogTemplates;
import dev.vigil.fact.Telemetry;
import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.OtlpDecoder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * OTLP log records per second on each side of the ingest queue, for the load generator's records: {@code engine} is the
 * engine thread's share ({@code Condenser.accept} and a flush per request), with records as a receiver queues them
 * ({@code templated}, since templating moved to the receivers) or raw ({@code raw}: templating on the engine thread, as
 * before); {@code receiver} is the templating each receiving thread now does per record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class LogCondenseBench {
    static final int RECORDS = 2000;

    @Param({"raw", "templated"})
    public String queued;

    private List<Telemetry> records;
    private Condenser condenser;
    private long seq;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        int maxBody = CondenseConfig.defaults().maxLogBodyChars();
        List<Telemetry> raw = OtlpDecoder.logs(OtlpBodies.logs(0, RECORDS, 1_704_067_200_000L),
                OtlpDecoder.Encoding.PROTOBUF, IngestLimits.DEFAULTS).items();
        records = queued.equals("raw") ? raw : raw.stream().map(t -> LogTemplates.templated(t, maxBody)).toList();
        condenser = new Condenser(CondenseConfig.defaults(), Set.of(), new FactSink() {
            @Override
            public void upsert(Object fact) {
            }

            @Override
            public void insertEvent(Object event) {
            }

            @Override
            public void delete(Object fact) {
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void engine() {
        for (Telemetry t : records) {
            condenser.accept(t);
        }
        condenser.flush();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public Telemetry receiver() {
        Telemetry last = null;
        for (Telemetry t : records) {
            last = LogTemplates.templated(t, 8_192);
        }
        return last;
    }
}
