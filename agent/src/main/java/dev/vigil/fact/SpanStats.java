package dev.vigil.fact;

/**
 * Request, error and slow counts of one kind of span from one service on one host, per window: server spans
 * ({@code peer} empty) give the service's own error ratio, client spans give its calls to one dependency.
 *
 * <p>A span is slow when it took at least the condense stage's slow threshold (5 s by default).
 * Updated in place by the condense stage; confined to the engine thread.
 */
public final class SpanStats {
    private final String service;
    private final String host;
    private final SpanKind kind;
    private final String peer;
    private final String dbSystem;
    private final Buckets total;
    private final Buckets errors;
    private final Buckets slowErrors;
    private final Buckets slow;
    private long firstSeen = Long.MAX_VALUE;
    private long lastSeen;

    public SpanStats(String service, String host, SpanKind kind, String peer, String dbSystem,
                     long bucketMillis, int buckets) {
        this.service = service;
        this.host = host;
        this.kind = kind;
        this.peer = peer == null ? "" : peer;
        this.dbSystem = dbSystem == null ? "" : dbSystem;
        this.total = new Buckets(bucketMillis, buckets);
        this.errors = new Buckets(bucketMillis, buckets);
        this.slowErrors = new Buckets(bucketMillis, buckets);
        this.slow = new Buckets(bucketMillis, buckets);
    }

    /** Counts one finished span. Condense stage only. */
    public void add(long timeMillis, boolean error, boolean isSlow) {
        total.add(timeMillis, 1);
        if (error) {
            errors.add(timeMillis, 1);
        }
        if (isSlow) {
            slow.add(timeMillis, 1);
        }
        if (error && isSlow) {
            slowErrors.add(timeMillis, 1);
        }
        firstSeen = Math.min(firstSeen, timeMillis);
        lastSeen = Math.max(lastSeen, timeMillis);
    }

    public String service() {
        return service;
    }

    public String host() {
        return host;
    }

    public SpanKind kind() {
        return kind;
    }

    /** The called dependency for client spans ({@code peer.service} or {@code server.address}), else empty. */
    public String peer() {
        return peer;
    }

    /** The database system of client spans ({@code db.system} or {@code db.system.name}), else empty. */
    public String dbSystem() {
        return dbSystem;
    }

    public boolean isDatabaseCall() {
        return !dbSystem.isEmpty();
    }

    public long firstSeen() {
        return firstSeen;
    }

    public long lastSeen() {
        return lastSeen;
    }

    public int total(Now now, long seconds) {
        return total.between(now.minus(seconds), now.millis() + 1);
    }

    public int errors(Now now, long seconds) {
        return errors.between(now.minus(seconds), now.millis() + 1);
    }

    public int slow(Now now, long seconds) {
        return slow.between(now.minus(seconds), now.millis() + 1);
    }

    /** Spans that both failed and were slow: the signature of a call that waited for a timeout. */
    public int slowErrors(Now now, long seconds) {
        return slowErrors.between(now.minus(seconds), now.millis() + 1);
    }

    public int totalBetween(long fromMillis, long toMillis) {
        return total.between(fromMillis, toMillis);
    }

    public int errorsBetween(long fromMillis, long toMillis) {
        return errors.between(fromMillis, toMillis);
    }

    /** Errors over total in the window; 0 with no spans. */
    public double errorRatio(Now now, long seconds) {
        int t = total(now, seconds);
        return t == 0 ? 0 : (double) errors(now, seconds) / t;
    }

    public double errorRatioBetween(long fromMillis, long toMillis) {
        int t = totalBetween(fromMillis, toMillis);
        return t == 0 ? 0 : (double) errorsBetween(fromMillis, toMillis) / t;
    }

    public Target target() {
        return Target.serviceHost(service, host);
    }

    @Override
    public String toString() {
        return kind + " " + service + "@" + host + (peer.isEmpty() ? "" : " -> " + peer);
    }
}
