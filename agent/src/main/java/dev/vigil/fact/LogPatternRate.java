package dev.vigil.fact;

/**
 * How often one log template occurs for one service on one host: counts per window, first and last seen,
 * the most severe level seen and one example line.
 *
 * <p>The template is the message with its variable parts masked (numbers, ids, hosts, paths), so
 * "timed out after 30000ms" and "after 5000ms" are one template. Updated in place by the condense stage;
 * confined to the engine thread.
 */
public final class LogPatternRate {
    private final String service;
    private final String host;
    private final String template;
    private final String example;
    private final Buckets counts;
    private Severity severity;
    private long firstSeen;
    private long lastSeen;
    private long total;

    public LogPatternRate(String service, String host, String template, String example, Severity severity,
                          long bucketMillis, int buckets) {
        this.service = service;
        this.host = host;
        this.template = template;
        this.example = example;
        this.severity = severity;
        this.counts = new Buckets(bucketMillis, buckets);
        this.firstSeen = Long.MAX_VALUE;
    }

    /** Counts one more line. Condense stage only. */
    public void add(long timeMillis, Severity level) {
        counts.add(timeMillis, 1);
        if (level.compareTo(severity) > 0) {
            severity = level;
        }
        firstSeen = Math.min(firstSeen, timeMillis);
        lastSeen = Math.max(lastSeen, timeMillis);
        total++;
    }

    public String service() {
        return service;
    }

    public String host() {
        return host;
    }

    public String template() {
        return template;
    }

    /** One line of the template as it was first seen (untrusted text). */
    public String example() {
        return example;
    }

    public Severity severity() {
        return severity;
    }

    public boolean atLeast(Severity level) {
        return severity.atLeast(level);
    }

    public long firstSeen() {
        return firstSeen;
    }

    public long lastSeen() {
        return lastSeen;
    }

    public long total() {
        return total;
    }

    /** Lines in the last {@code seconds} before {@code now}. */
    public int count(Now now, long seconds) {
        return counts.between(now.minus(seconds), now.millis() + 1);
    }

    /** Lines between two instants. */
    public int countBetween(long fromMillis, long toMillis) {
        return counts.between(fromMillis, toMillis);
    }

    /** True when the template contains {@code text}, ignoring case. */
    public boolean mentions(String text) {
        return text != null && !text.isEmpty()
                && template.toLowerCase(java.util.Locale.ROOT).contains(text.toLowerCase(java.util.Locale.ROOT));
    }

    public Target target() {
        return Target.serviceHost(service, host);
    }

    @Override
    public String toString() {
        return service + "@" + host + " [" + severity + "] " + template + " x" + total;
    }
}
