package dev.vigil.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The runs granted recently, for one service or for the whole fleet, and the limit checks over them. The same code
 * decides for the local coordinator and for ZooKeeper, where the ledger is the data of a version-checked node.
 * Immutable.
 */
record Ledger(List<Entry> entries) {
    /** Older entries are never needed: no window or rate is longer. */
    static final Duration KEPT = Duration.ofHours(24);
    /** A bound on the node's size (ZooKeeper's limit is 1 MiB); past it the oldest entries go first. */
    static final int MAX_ENTRIES = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    static final Ledger EMPTY = new Ledger(List.of());

    /** One granted run. Immutable. */
    record Entry(String target, String service, String playbook, String agent, long token, long at) {
    }

    Ledger {
        entries = List.copyOf(entries);
    }

    /** Why the service's limits refuse {@code r} at {@code now}, or null when they allow it. */
    GrantResult.Refused serviceRefusal(GrantRequest r, long now) {
        if (r.serviceInstances() <= 0) {
            return refused(GrantResult.Reason.INVALID, "the instance count of service " + r.service() + " is unknown or zero: an empty target set is an error, never all");
        }
        long cooldownFrom = now - r.cooldown().toMillis();
        for (Entry e : entries) {
            if (e.target().equals(r.target()) && e.playbook().equals(r.playbook()) && e.at() > cooldownFrom) {
                return refused(GrantResult.Reason.COOLDOWN, "cooldown: " + r.playbook() + " ran on " + r.target() + " at "
                        + e.at() + " (agent " + e.agent() + "), within " + r.cooldown());
            }
        }
        Set<String> touched = new HashSet<>();
        long windowFrom = now - r.window().toMillis();
        for (Entry e : entries) {
            if (e.service().equals(r.service()) && e.at() > windowFrom) {
                touched.add(e.target());
            }
        }
        touched.add(r.target());
        int n = touched.size();
        if (r.maxInstances().isPresent() && n > r.maxInstances().getAsInt()) {
            return refused(GrantResult.Reason.BLAST_RADIUS, "blast radius: " + n + " instances of " + r.service()
                    + " within " + r.window() + " would exceed " + r.maxInstances().getAsInt() + " fleet-wide");
        }
        if (r.maxPercent().isPresent() && n * 100L > (long) r.maxPercent().getAsInt() * r.serviceInstances()) {
            return refused(GrantResult.Reason.BLAST_RADIUS, "blast radius: " + n + " of " + r.serviceInstances()
                    + " instances of " + r.service() + " within " + r.window() + " would exceed " + r.maxPercent().getAsInt()
                    + " % fleet-wide");
        }
        return null;
    }

    /** Why the fleet-wide rate of the playbook refuses {@code r} at {@code now}, or null. */
    GrantResult.Refused fleetRefusal(GrantRequest r, long now, int maxFleetTargetsPerHour) {
        long hourFrom = now - Duration.ofHours(1).toMillis();
        int runs = 1;
        Set<String> targets = new HashSet<>();
        targets.add(r.target());
        for (Entry e : entries) {
            if (e.at() > hourFrom) {
                targets.add(e.target());
                if (e.playbook().equals(r.playbook())) {
                    runs++;
                }
            }
        }
        if (runs > r.maxRunsPerHour()) {
            return refused(GrantResult.Reason.RATE, "rate: " + r.playbook() + " would run " + runs
                    + " times fleet-wide in the last hour, the limit is " + r.maxRunsPerHour());
        }
        if (targets.size() > maxFleetTargetsPerHour) {
            return refused(GrantResult.Reason.BLAST_RADIUS, "fleet blast radius: " + targets.size()
                    + " targets acted on in the last hour would exceed " + maxFleetTargetsPerHour);
        }
        return null;
    }

    private static GrantResult.Refused refused(GrantResult.Reason kind, String reason) {
        return new GrantResult.Refused(kind, reason);
    }

    /** This ledger with {@code e} added and what is too old (or too many) dropped. */
    Ledger with(Entry e, long now) {
        List<Entry> kept = new ArrayList<>(entries.size() + 1);
        long from = now - KEPT.toMillis();
        for (Entry old : entries) {
            if (old.at() > from) {
                kept.add(old);
            }
        }
        kept.add(e);
        int excess = kept.size() - MAX_ENTRIES;
        return new Ledger(excess > 0 ? kept.subList(excess, kept.size()) : kept);
    }

    byte[] toBytes() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a ledger always serialises", e);
        }
    }

    /** The ledger in a node's data; an empty node is an empty ledger. */
    static Ledger fromBytes(byte[] data) throws IOException {
        if (data == null || data.length == 0) {
            return EMPTY;
        }
        return JSON.readValue(data, Ledger.class);
    }
}
