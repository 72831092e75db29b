package dev.vigil.approval;

import dev.vigil.decision.Decision;
import dev.vigil.decision.DecisionKind;
import dev.vigil.fact.Target;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** Shared test doubles for the approval tests: a hand-advanced clock, a recording audit, decisions, a store. */
public final class Fixtures {
    private Fixtures() {
    }

    /** A clock the test sets and advances; thread-safe. */
    public static final class Clock implements InstantSource {
        private final AtomicReference<Instant> now;

        public Clock(String iso) {
            now = new AtomicReference<>(Instant.parse(iso));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        public void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }
    }

    /** One audited record. */
    public record Record(String type, Map<String, Object> data) {
    }

    /** Keeps every audited record; can be told to fail (a full disk). Thread-safe. */
    public static final class Audit implements Approvals.Audit {
        public final List<Record> records = new CopyOnWriteArrayList<>();
        public volatile boolean failing;

        @Override
        public void record(String type, Map<String, Object> data) {
            if (failing) {
                throw new IllegalStateException("audit journal unavailable");
            }
            records.add(new Record(type, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data))));
        }

        public List<Record> of(String type) {
            return records.stream().filter(r -> r.type().equals(type)).toList();
        }

        public List<String> types() {
            return records.stream().map(Record::type).toList();
        }
    }

    /** Guards that hold until told otherwise. */
    public static final class Guards implements Approvals.Guards {
        public volatile String refusal;

        @Override
        public Optional<String> refusal(ApprovalRequest approved) {
            return Optional.ofNullable(refusal);
        }
    }

    /** A runner that records what it was asked to run. */
    public static final class Runner implements Approvals.Runner {
        public final List<ApprovalRequest> ran = new CopyOnWriteArrayList<>();

        @Override
        public Execution run(ApprovalRequest approved) {
            ran.add(approved);
            return new Execution(Execution.Status.DRY_RUN, "planned");
        }
    }

    public static Decision approve(String id, int approvers) {
        return new Decision(id, 0, "db-pool-exhausted", Target.serviceHost("checkout", "app-1"), 0.72,
                DecisionKind.APPROVE, "recycle-pool", List.of("confidence 0.72 is medium; risk medium: approve"),
                approvers, Map.of("pool-saturated", "pool HikariPool-1 saturated 10/10 for 75s"), Map.of("pool", "HikariPool-1"));
    }

    public static Map<String, String> params() {
        return Map.of("service", "checkout", "pool", "HikariPool-1");
    }
}
