package dev.vigil.playbook;

import dev.vigil.decision.Risk;
import dev.vigil.fact.ServiceNode;
import dev.vigil.fact.Target;
import dev.vigil.fact.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The limits checked at the moment of execution, and the state they need: cooldown per playbook and target, runs per
 * playbook per hour, runs in flight (global and per playbook), and the blast radius (distinct instances of a service,
 * or of the fleet, a playbook acted on within a window). {@link #admit} checks and reserves in one step. Thread-safe.
 */
final class Guards {
    /** The labels that name one instance, most specific first. */
    private static final List<String> INSTANCE_LABELS = List.of("pod", "node", "instance", "host");

    /** A run let through: release it when the run ends. */
    record Admission(String playbook) {
    }

    /** What one run would act on: the instances, where they belong, and how many instances that scope has (0 unknown). */
    record TargetSet(Set<String> instances, String scope, int population) {
    }

    private record Acted(String instance, Instant at) {
    }

    private final int maxConcurrent;
    private final Duration blastWindow;
    private final int maxTargets;
    private final Map<String, Instant> lastRun = new HashMap<>();
    private final Map<String, Deque<Instant>> runsInLastHour = new HashMap<>();
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Map<String, Deque<Acted>> acted = new HashMap<>();
    private int inFlightTotal;

    Guards(int maxConcurrent, Duration blastWindow, int maxTargets) {
        this.maxConcurrent = maxConcurrent;
        this.blastWindow = blastWindow;
        this.maxTargets = maxTargets;
    }

    /**
     * The instances a run on {@code target} acts on: the one its most specific label names, or every host of its
     * service when it names only a service. Empty when nothing identifies them (an error, never "all").
     */
    static TargetSet targetSet(Target target, Topology topology) {
        Optional<ServiceNode> service = topology.service(target.service());
        Set<String> fleet = new TreeSet<>();
        topology.services().forEach(s -> fleet.addAll(s.hosts()));
        String scope = service.isPresent() ? "service " + target.service()
                : target.service().isEmpty() ? "the fleet" : "service " + target.service() + " (not in the topology)";
        int population = service.map(s -> s.hosts().size()).orElse(target.service().isEmpty() ? fleet.size() : 0);
        for (String label : INSTANCE_LABELS) {
            String v = target.get(label);
            if (v != null) {
                return new TargetSet(Set.of(label + "=" + v), scope, population);
            }
        }
        Set<String> all = new LinkedHashSet<>();
        service.ifPresent(s -> s.hosts().forEach(h -> all.add("host=" + h)));
        return new TargetSet(all, scope, population);
    }

    /** Checks every limit and, when all pass, counts the run; else the first limit that stops it. */
    synchronized Result admit(Playbook playbook, Target target, TargetSet set, Instant now) {
        if (set.instances().isEmpty()) {
            return refuse("target-set", "empty target set: " + target + " names no instance (and its service has no known "
                    + "hosts); refusing rather than acting on all");
        }
        if (set.instances().size() > maxTargets) {
            return refuse("target-set", "unexpectedly large target set: " + set.instances().size() + " instances of "
                    + set.scope() + ", more than the " + maxTargets + " allowed in one run");
        }
        Limits limits = playbook.limits();
        String targetKey = playbook.id() + " " + target;
        Instant last = lastRun.get(targetKey);
        if (last != null && now.isBefore(last.plus(limits.cooldown()))) {
            return refuse("cooldown", "cooldown: " + playbook.id() + " ran on " + target + " at " + last + "; again from "
                    + last.plus(limits.cooldown()));
        }
        Deque<Instant> hour = runsInLastHour.computeIfAbsent(playbook.id(), k -> new ArrayDeque<>());
        while (!hour.isEmpty() && !hour.peekFirst().isAfter(now.minus(Duration.ofHours(1)))) {
            hour.removeFirst();
        }
        if (hour.size() >= limits.maxRunsPerHour()) {
            return refuse("max-runs-per-hour", "max runs per hour: " + playbook.id() + " ran " + hour.size()
                    + " times in the last hour, limit " + limits.maxRunsPerHour());
        }
        if (inFlightTotal >= maxConcurrent) {
            return refuse("concurrency", "global concurrency: " + inFlightTotal + " runs in flight, limit " + maxConcurrent);
        }
        int mine = inFlight.getOrDefault(playbook.id(), 0);
        if (mine >= limits.maxConcurrent()) {
            return refuse("concurrency", "playbook concurrency: " + mine + " runs of " + playbook.id()
                    + " in flight, limit " + limits.maxConcurrent());
        }
        String blastKey = playbook.id() + " " + set.scope();
        Deque<Acted> window = acted.computeIfAbsent(blastKey, k -> new ArrayDeque<>());
        while (!window.isEmpty() && !window.peekFirst().at().isAfter(now.minus(blastWindow))) {
            window.removeFirst();
        }
        if (playbook.risk() != Risk.NONE) {
            Set<String> touched = new TreeSet<>(set.instances());
            window.forEach(a -> touched.add(a.instance()));
            Optional<String> over = overBlastRadius(playbook.limits().blastRadius(), touched.size(), set);
            if (over.isPresent()) {
                return refuse("blast-radius", "blast radius: " + over.get() + " (" + playbook.id() + " within "
                        + blastWindow.toMinutes() + " min: " + touched + ")");
            }
        }
        lastRun.put(targetKey, now);
        hour.addLast(now);
        inFlightTotal++;
        inFlight.merge(playbook.id(), 1, Integer::sum);
        set.instances().forEach(i -> window.addLast(new Acted(i, now)));
        return new Result(Optional.of(new Admission(playbook.id())), "", "");
    }

    private Optional<String> overBlastRadius(Limits.BlastRadius radius, int touched, TargetSet set) {
        if (radius.maxInstances().isPresent() && touched > radius.maxInstances().getAsInt()) {
            return Optional.of("would act on " + touched + " instances of " + set.scope() + ", at most "
                    + radius.maxInstances().getAsInt());
        }
        if (radius.maxPercent().isPresent()) {
            int pct = radius.maxPercent().getAsInt();
            if (set.population() == 0) {
                return Optional.of("the number of instances of " + set.scope() + " is unknown, so " + pct
                        + " % of it cannot be bounded");
            }
            long allowed = (long) set.population() * pct / 100;
            if (touched > allowed) {
                return Optional.of("would act on " + touched + " of " + set.population() + " instances of " + set.scope()
                        + ", at most " + pct + " % (" + allowed + ")");
            }
        }
        return Optional.empty();
    }

    /** Ends a run let through by {@link #admit}. */
    synchronized void release(Admission admission) {
        inFlightTotal--;
        inFlight.merge(admission.playbook(), -1, (a, b) -> a + b == 0 ? null : a + b);
    }

    synchronized int inFlight() {
        return inFlightTotal;
    }

    private static Result refuse(String guard, String reason) {
        return new Result(Optional.empty(), guard, reason);
    }

    /** An admission, or the guard that refused and why. Immutable. */
    record Result(Optional<Admission> admission, String guard, String reason) {
    }
}
