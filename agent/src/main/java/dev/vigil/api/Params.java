package dev.vigil.api;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A request's query parameters, checked against what the route takes; each problem names its parameter. Not thread-safe. */
final class Params {
    private static final int MAX_VALUE = 512;

    /** A bad query parameter: which one, and why. */
    static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;
        final String parameter;

        Bad(String parameter, String message) {
            super(parameter + ": " + message);
            this.parameter = parameter;
        }
    }

    private final MultiMap query;

    /** @throws Bad when the request names a parameter the route does not take, or gives one twice */
    Params(RoutingContext ctx, Set<String> allowed) throws Bad {
        try {
            this.query = ctx.queryParams();
        } catch (IllegalArgumentException e) {
            throw new Bad("query", "not valid URL encoding: " + e.getMessage());
        }
        for (String name : query.names()) {
            if (!allowed.contains(name)) {
                throw new Bad(name, "unknown parameter; this route takes " + new TreeSet<>(allowed));
            }
            List<String> values = query.getAll(name);
            if (values.size() > 1) {
                throw new Bad(name, "given " + values.size() + " times; give it once");
            }
            if (values.get(0).length() > MAX_VALUE) {
                throw new Bad(name, "longer than " + MAX_VALUE + " characters");
            }
        }
    }

    boolean has(String name) {
        return query.contains(name);
    }

    Optional<String> text(String name) throws Bad {
        String v = query.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v.isBlank()) {
            throw new Bad(name, "is empty");
        }
        return Optional.of(v.strip());
    }

    /** An ISO-8601 instant, {@code 2026-05-01T12:00:00Z} or with an offset ({@code +02:00}). */
    Optional<Instant> instant(String name) throws Bad {
        Optional<String> v = text(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(v.get()).toInstant());
        } catch (DateTimeParseException e) {
            throw new Bad(name, "not an ISO-8601 time such as 2026-05-01T12:00:00Z, was " + quoted(v.get()));
        }
    }

    /** A page size: {@code fallback} when absent, else 1 to {@code max}. */
    int limit(int fallback, int max) throws Bad {
        Optional<String> v = text("limit");
        if (v.isEmpty()) {
            return fallback;
        }
        long n = number("limit", v.get());
        if (n < 1 || n > max) {
            throw new Bad("limit", "must be 1 to " + max + ", was " + n);
        }
        return (int) n;
    }

    /** A record seq used as a cursor; {@code fallback} when absent. */
    long seq(String name, long fallback) throws Bad {
        Optional<String> v = text(name);
        if (v.isEmpty()) {
            return fallback;
        }
        long n = number(name, v.get());
        if (n < 0) {
            throw new Bad(name, "must be a record seq >= 0, was " + n);
        }
        return n;
    }

    private static long number(String name, String v) throws Bad {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new Bad(name, "not a whole number: " + quoted(v));
        }
    }

    static String quoted(String v) {
        return "\"" + (v.length() > 80 ? v.substring(0, 80) + "…" : v) + "\"";
    }
}
