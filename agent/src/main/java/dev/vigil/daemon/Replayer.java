package dev.vigil.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.audit.AuditJournal;
import dev.vigil.decision.Decision;
import dev.vigil.scenario.CheckFailure;
import dev.vigil.scenario.ExpectationChecker;
import dev.vigil.scenario.Observation;
import dev.vigil.scenario.ObservedDecision;
import dev.vigil.scenario.Scenario;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one scenario through a fresh pipeline on a pseudo clock driven by its {@code t}, every executor in dry-run and
 * approvals left pending, and renders the replay contract's output lines. Not thread-safe; one per thread.
 */
public final class Replayer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One decision line of the replay output, with the decision behind it. */
    public record Line(double t, Decision decision, String json) {
    }

    /**
     * What one scenario produced.
     *
     * @param shadowLines the decisions of signatures in shadow, never in {@code lines} nor checked against expectations
     */
    public record Result(Scenario scenario, List<Line> lines, List<CheckFailure> failures, long observations,
                         long nanos, List<String> auditLines, List<Line> shadowLines) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    private final Content content;
    private final PipelineOptions options;

    public Replayer(Content content, PipelineOptions options) {
        this.content = content;
        this.options = options;
    }

    public Result run(Scenario scenario) {
        long startMillis = scenario.start().toEpochMilli();
        // the journal's clock follows the scenario, so replaying the same file twice gives the same journal
        MutableInstant clock = new MutableInstant(scenario.start());
        AuditJournal journal = AuditJournal.inMemory(clock);
        List<Line> lines = new ArrayList<>();
        List<Line> shadow = new ArrayList<>();
        long began = System.nanoTime();
        try (Pipeline pipeline = new Pipeline(content, options, journal, startMillis)) {
            pipeline.topology(scenario.topology());
            double current = Double.NaN;
            for (Observation o : scenario.observations()) {
                if (!Double.isNaN(current) && o.t() != current) {
                    step(pipeline, scenario, current, clock, lines, shadow);
                }
                current = o.t();
                pipeline.accept(o.telemetry());
            }
            if (!Double.isNaN(current)) {
                step(pipeline, scenario, current, clock, lines, shadow);
            }
        }
        long nanos = System.nanoTime() - began;
        List<ObservedDecision> observed = lines.stream()
                .map(l -> new ObservedDecision(l.decision().signature(), l.decision().target(),
                        l.decision().kind().wireName(), l.decision().playbook()))
                .toList();
        List<CheckFailure> failures = ExpectationChecker.check(scenario.expectations(), observed);
        return new Result(scenario, lines, failures, scenario.observations().size(), nanos, journal.lines(), shadow);
    }

    private void step(Pipeline pipeline, Scenario scenario, double t, MutableInstant clock, List<Line> out,
                      List<Line> shadow) {
        long now = scenario.start().toEpochMilli() + Math.round(t * 1000);
        clock.set(Instant.ofEpochMilli(now));
        for (Decision d : pipeline.step(now)) {
            out.add(new Line(t, d, render(scenario.name(), t, d, false)));
        }
        for (Decision d : pipeline.shadowDecisions()) {
            shadow.add(new Line(t, d, render(scenario.name(), t, d, true)));
        }
    }

    /**
     * The replay contract's line for one decision. A shadow decision (printed only on request) says
     * {@code "decision": "shadow"} and, right after it, {@code "would"}: the decision it would have taken.
     */
    static String render(String scenario, double t, Decision d, boolean shadow) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("scenario", scenario);
        line.put("t", t);
        line.put("signature", d.signature());
        line.put("target", d.target().labels());
        line.put("confidence", d.confidence());
        line.put("decision", shadow ? "shadow" : d.kind().wireName());
        if (shadow) {
            line.put("would", d.kind().wireName());
        }
        line.put("playbook", d.playbook());
        line.put("reasons", d.reasons());
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An instant source the replay moves forward with the scenario's clock. */
    static final class MutableInstant implements InstantSource {
        private Instant now;

        MutableInstant(Instant start) {
            this.now = start;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
