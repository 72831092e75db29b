package dev.vigil.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The API's bearer tokens, kept only as SHA-256 hashes (from config), each with a name and a {@link Role}; and the
 * route guard that answers 401 without a valid token and 403 when its role is too low. Immutable; thread-safe.
 */
public final class Tokens {
    /** The routing-context key under which an authenticated {@link Caller} is put. */
    public static final String CALLER = "vigil.caller";

    /** One configured token: who it belongs to, the hex SHA-256 of the token, its role. Immutable. */
    public record Entry(String name, String sha256, Role role) {
        public Entry {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a token needs a name");
            }
            if (sha256 == null || !sha256.toLowerCase(Locale.ROOT).matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("token " + name + ": sha256 must be 64 hex digits");
            }
            sha256 = sha256.toLowerCase(Locale.ROOT);
            if (role == null) {
                throw new IllegalArgumentException("token " + name + " needs a role");
            }
        }

        @Override
        public String toString() {
            return "Entry[" + name + ", <secret>, " + role.wireName() + "]";
        }
    }

    /** Who called, as authenticated by a token. */
    public record Caller(String name, Role role) {
    }

    private final List<Entry> entries;
    private final List<byte[]> hashes;

    public Tokens(List<Entry> entries) {
        Set<String> names = new HashSet<>();
        Set<String> digests = new HashSet<>();
        for (Entry e : entries) {
            if (!names.add(e.name())) {
                throw new IllegalArgumentException("token name " + e.name() + " is listed twice");
            }
            if (!digests.add(e.sha256())) {
                throw new IllegalArgumentException("token " + e.name() + " has the same hash as another token");
            }
        }
        this.entries = List.copyOf(entries);
        this.hashes = this.entries.stream().map(e -> HexFormat.of().parseHex(e.sha256())).toList();
    }

    /** The hex SHA-256 of a token, as it goes into the config. */
    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The caller an {@code Authorization} header authenticates; empty when missing, malformed or unknown. */
    public Optional<Caller> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).trim();
        if (token.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = HexFormat.of().parseHex(sha256(token));
        Caller found = null;
        for (int i = 0; i < entries.size(); i++) {
            // look at every entry, so timing does not tell how many hashes were compared
            if (MessageDigest.isEqual(digest, hashes.get(i)) && found == null) {
                found = new Caller(entries.get(i).name(), entries.get(i).role());
            }
        }
        return Optional.ofNullable(found);
    }

    /** A route handler that lets through only callers whose role covers {@code required}. */
    public Handler<RoutingContext> require(Role required) {
        return ctx -> {
            Optional<Caller> caller = authenticate(ctx.request().getHeader("Authorization"));
            if (caller.isEmpty()) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"vigil\"");
                Json.error(ctx, 401, "a valid bearer token is required");
            } else if (!caller.get().role().covers(required)) {
                Json.error(ctx, 403, "token " + caller.get().name() + " has role " + caller.get().role().wireName()
                        + "; this needs " + required.wireName());
            } else {
                ctx.put(CALLER, caller.get());
                ctx.next();
            }
        };
    }

    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return "Tokens" + entries;
    }
}
