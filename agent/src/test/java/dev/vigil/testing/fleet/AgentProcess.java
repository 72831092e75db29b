package dev.vigil.testing.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Vigil agent in its own JVM ({@code vigil run --config}, a small heap, the test classpath), with its data
 * directory, journal and log. It can be paused (SIGSTOP) and resumed as a long GC pause or a frozen VM would, or killed
 * with SIGKILL. {@link #close} always ends the process, paused or not. Not thread-safe.
 */
public final class AgentProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READY = "vigil: listening on ";
    private static final java.time.Duration MAX_LIFE = java.time.Duration.ofMinutes(10);

    private final String name;
    private final Path dir;
    private final Process process;

    private AgentProcess(String name, Path dir, Process process) {
        this.name = name;
        this.dir = dir;
        this.process = process;
    }

    /** Starts {@code vigil run --config <dir>/vigil.yaml --content <content>}; see {@link #ready} to wait for it. */
    static AgentProcess start(String name, Path dir, String configYaml, Path content) throws IOException {
        Path config = Files.writeString(dir.resolve("vigil.yaml"), configYaml);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only and the serial collector: four agents start on two cores, and their start is most of the test's time.
        // --duration: an agent outlives a test JVM that is killed before its teardown by ten minutes at most.
        Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "dev.vigil.cli.Main", "run", "--config", config.toString(),
                "--content", content.toString(), "--duration", Long.toString(MAX_LIFE.toSeconds()))
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile())
                .start();
        return new AgentProcess(name, dir, p);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** Whether it has printed where it listens (it is then deciding); throws when it exited instead. */
    boolean ready() {
        if (!process.isAlive()) {
            throw new AssertionError("agent " + name + " exited with " + process.exitValue() + " before it was ready:\n" + log());
        }
        return log().contains(READY);
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("agent.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The journal's records of {@code type} ({@code decision}, {@code playbook.intent}, {@code playbook.refused}, …). */
    public List<JsonNode> records(String type) {
        List<JsonNode> out = new ArrayList<>();
        Path journal = dir.resolve("data/audit.jsonl");
        if (!Files.exists(journal)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(journal)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode r;
                try {
                    r = JSON.readTree(line);
                } catch (IOException torn) {
                    continue; // the last line may be in the middle of being written
                }
                if (r.path("type").asText().equals(type)) {
                    out.add(r.path("data"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The records of {@code type} about {@code host}. */
    public List<JsonNode> records(String type, String host) {
        return records(type).stream().filter(r -> r.path("target").path("host").asText().equals(host)).toList();
    }

    /** Whether the run it started for {@code host} (or refused) has ended: an outcome or a refusal is journalled. */
    public boolean settled(String host) {
        return !records("playbook.outcome", host).isEmpty() || !records("playbook.refused", host).isEmpty();
    }

    /** SIGSTOP: the whole JVM freezes, its ZooKeeper session included, as in a long pause. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT. */
    public void resume() {
        signal("CONT");
    }

    /** SIGKILL: no shutdown hook, no goodbye to ZooKeeper. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted signalling " + this.name, e);
        }
    }

    /** SIGTERM (after SIGCONT, in case it is paused), then SIGKILL if it has not stopped within 10 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            resume();
        } catch (RuntimeException | AssertionError e) {
            // SIGKILL below still ends it
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
