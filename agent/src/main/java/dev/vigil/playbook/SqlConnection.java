package dev.vigil.playbook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One named PostgreSQL connection that {@code sql} steps may use ({@code connection: "{{service}}"} names it), from
 * config. The password is read when a step connects (so a rotated file is picked up) and never printed. Immutable.
 *
 * @param url  a {@code jdbc:postgresql:} URL
 * @param user the role the statements run as
 */
public record SqlConnection(String name, String url, String user, Password password) {
    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,127}$");

    public SqlConnection {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("sql connection name " + Quote.quote(name) + " does not match " + NAME);
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("sql connection " + name + ": url " + Quote.quote(url)
                    + " is not a jdbc:postgresql: URL");
        }
        if (user.isBlank()) {
            throw new IllegalArgumentException("sql connection " + name + ": user is empty");
        }
    }

    /** Where a connection's password comes from; prints where, never what. Immutable. */
    public sealed interface Password {
        /** The password now, or empty for none (trust or peer authentication). */
        Optional<String> read() throws IOException;

        /** No password. */
        static Password none() {
            return new None();
        }

        /** The first line of a file (readable by the daemon only). */
        static Password file(Path path) {
            return new FromFile(path);
        }

        /** An environment variable of the daemon's process. */
        static Password env(String variable) {
            return new FromEnv(variable);
        }
    }

    /** No password. Immutable. */
    public record None() implements Password {
        @Override
        public Optional<String> read() {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "none";
        }
    }

    /** The first line of a file. Immutable. */
    public record FromFile(Path path) implements Password {
        public FromFile {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public Optional<String> read() throws IOException {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = (end < 0 ? text : text.substring(0, end)).replace("\r", "");
            return Optional.of(line);
        }

        @Override
        public String toString() {
            return "<secret> from file " + path;
        }
    }

    /** An environment variable. Immutable. */
    public record FromEnv(String variable) implements Password {
        public FromEnv {
            Objects.requireNonNull(variable, "variable");
        }

        @Override
        public Optional<String> read() throws IOException {
            String value = System.getenv(variable);
            if (value == null) {
                throw new IOException("environment variable " + variable + " is not set");
            }
            return Optional.of(value);
        }

        @Override
        public String toString() {
            return "<secret> from environment variable " + variable;
        }
    }
}
