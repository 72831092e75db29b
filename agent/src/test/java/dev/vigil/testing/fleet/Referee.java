package dev.vigil.testing.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The fake service a test fleet acts on, and the referee that judges every action: services of {@value #INSTANCES}
 * instances each ({@code web-01} … {@code web-20}) on loopback. Thread-safe.
 *
 * <p>Each agent scrapes {@code /metrics/<agent>}: {@code vigil_e2e_instance_broken{service,host}} for the instances it
 * watches, 1 while broken. The playbook's steps {@code POST /drain/<service>/<host>} and
 * {@code POST /restart/<service>/<host>}, carrying {@code X-Vigil-Agent} and the grant's {@code X-Vigil-Fencing-Token}.
 * Like a real service that honours fencing, the referee remembers the highest token per target and refuses (409) a
 * lower one, and a request without a token (400); a restart takes {@link #RESTART} and mends the instance. Every
 * request is recorded as an {@link Action} with its agent, target, token, start and end; a test reads them with
 * {@link #actions()}, and anyone with {@code GET /actions} as JSON.
 */
public final class Referee implements AutoCloseable {
    public static final int INSTANCES = 20;
    public static final String METRIC = "vigil_e2e_instance_broken";
    public static final String AGENT_HEADER = "X-Vigil-Agent";
    public static final String FENCING_HEADER = "X-Vigil-Fencing-Token";
    /** Long enough that two agents acting on one target at once would overlap visibly. */
    static final Duration RESTART = Duration.ofMillis(300);
    private static final Duration HOLD_LIMIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request of an agent to the service, as the referee judged it. Immutable. */
    public record Action(String agent, String kind, String service, String target, long token, long startMillis,
                         long endMillis, boolean accepted, String reason) {
        boolean overlaps(Action other) {
            return startMillis < other.endMillis && other.startMillis < endMillis;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "referee");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private final Map<String, Set<String>> watchers = new LinkedHashMap<>(); // target -> agents, guarded by lock
    private final Set<String> broken = new LinkedHashSet<>(); // guarded by lock
    private final Map<String, Long> highest = new HashMap<>(); // guarded by lock
    private final List<Action> actions = new ArrayList<>(); // guarded by lock
    private final List<String> services;
    private volatile CompletableFuture<Void> drainGate = CompletableFuture.completedFuture(null);
    private volatile BiConsumer<String, String> onDrain = (agent, target) -> {
    };

    private Referee(HttpServer server, List<String> services) {
        this.server = server;
        this.services = List.copyOf(services);
    }

    /** Starts the service with {@value #INSTANCES} instances of each named service, on a free loopback port. */
    public static Referee start(List<String> services) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        Referee r = new Referee(server, services);
        server.createContext("/metrics/", r::metrics);
        server.createContext("/drain/", e -> r.act(e, "drain"));
        server.createContext("/restart/", e -> r.act(e, "restart"));
        server.createContext("/actions", r::actionsJson);
        server.setExecutor(r.threads);
        server.start();
        return r;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<String> services() {
        return services;
    }

    /** The instances of {@code service}: {@code <service>-01} … {@code <service>-20}. */
    public static List<String> instances(String service) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= INSTANCES; i++) {
            out.add(String.format("%s-%02d", service, i));
        }
        return out;
    }

    /** Breaks {@code target} (an instance name, which names its service) and shows it to {@code agents}. */
    public void breakInstance(String target, String... agents) {
        synchronized (lock) {
            broken.add(target);
            for (String agent : agents) {
                watchers.computeIfAbsent(target, t -> new LinkedHashSet<>()).add(agent);
            }
        }
    }

    /** Breaks every one of {@code targets} at once (one scrape sees all or none) and shows them to {@code agents}. */
    public void breakInstances(List<String> targets, String... agents) {
        synchronized (lock) {
            for (String target : targets) {
                breakInstance(target, agents);
            }
        }
    }

    /** Shows {@code target} (broken or not) to one more agent from its next scrape on. */
    public void show(String target, String agent) {
        synchronized (lock) {
            watchers.computeIfAbsent(target, t -> new LinkedHashSet<>()).add(agent);
        }
    }

    public boolean isBroken(String target) {
        synchronized (lock) {
            return broken.contains(target);
        }
    }

    /** Every action so far, in the order they started. */
    public List<Action> actions() {
        synchronized (lock) {
            return actions.stream().sorted(Comparator.comparingLong(Action::startMillis)).toList();
        }
    }

    /** The actions on the instances of {@code service}. */
    public List<Action> actions(String service) {
        return actions().stream().filter(a -> a.service().equals(service)).toList();
    }

    /** Pairs of accepted actions on one target whose times overlap: none when the fleet's locks work. */
    public List<List<Action>> overlaps() {
        Map<String, List<Action>> byTarget = new TreeMap<>();
        actions().stream().filter(Action::accepted).forEach(a -> byTarget.computeIfAbsent(a.target(), t -> new ArrayList<>()).add(a));
        List<List<Action>> out = new ArrayList<>();
        byTarget.values().forEach(list -> {
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    if (list.get(i).overlaps(list.get(j))) {
                        out.add(List.of(list.get(i), list.get(j)));
                    }
                }
            }
        });
        return out;
    }

    /** From now on drains wait (up to a minute) until {@link #releaseDrains}: steps in flight, for a test to act on. */
    public void holdDrains() {
        drainGate = new CompletableFuture<>();
    }

    public void releaseDrains() {
        drainGate.complete(null);
    }

    /** Called with (agent, target) when a drain arrives, before it is answered. */
    public void onDrain(BiConsumer<String, String> hook) {
        this.onDrain = hook;
    }

    private void metrics(HttpExchange e) throws IOException {
        String agent = e.getRequestURI().getPath().substring("/metrics/".length());
        StringBuilder text = new StringBuilder("# TYPE ").append(METRIC).append(" gauge\n");
        synchronized (lock) {
            watchers.forEach((target, agents) -> {
                if (agents.contains(agent)) {
                    text.append(METRIC).append("{service=\"").append(service(target)).append("\",host=\"").append(target)
                            .append("\"} ").append(broken.contains(target) ? 1 : 0).append('\n');
                }
            });
        }
        respond(e, 200, "text/plain; version=0.0.4", text.toString());
    }

    private void act(HttpExchange e, String kind) throws IOException {
        long start = System.currentTimeMillis();
        String[] path = e.getRequestURI().getPath().split("/"); // "", kind, service, host
        String agent = String.valueOf(e.getRequestHeaders().getFirst(AGENT_HEADER));
        e.getRequestBody().readAllBytes();
        if (path.length != 4) {
            respond(e, 404, "text/plain", "no such action");
            return;
        }
        String service = path[2];
        String target = path[3];
        String tokenText = e.getRequestHeaders().getFirst(FENCING_HEADER);
        long token;
        try {
            token = Long.parseLong(String.valueOf(tokenText));
        } catch (NumberFormatException ex) {
            record(new Action(agent, kind, service, target, -1, start, System.currentTimeMillis(), false, "no fencing token"));
            respond(e, 400, "text/plain", "no fencing token");
            return;
        }
        synchronized (lock) {
            long seen = highest.getOrDefault(target, -1L);
            if (token < seen) {
                String reason = "stale token " + token + " < " + seen;
                actions.add(new Action(agent, kind, service, target, token, start, System.currentTimeMillis(), false, reason));
                respond(e, 409, "text/plain", reason);
                return;
            }
            highest.put(target, token);
        }
        if (kind.equals("drain")) {
            onDrain.accept(agent, target);
            drainGate.orTimeout(HOLD_LIMIT.toMillis(), TimeUnit.MILLISECONDS).exceptionally(t -> null).join();
        } else {
            CompletableFuture.runAsync(() -> {
            }, CompletableFuture.delayedExecutor(RESTART.toMillis(), TimeUnit.MILLISECONDS)).join();
            synchronized (lock) {
                broken.remove(target);
            }
        }
        record(new Action(agent, kind, service, target, token, start, System.currentTimeMillis(), true, ""));
        respond(e, 200, "text/plain", kind + " " + target + " done");
    }

    private void record(Action a) {
        synchronized (lock) {
            actions.add(a);
        }
    }

    private void actionsJson(HttpExchange e) throws IOException {
        respond(e, 200, "application/json", JSON.writeValueAsString(actions()));
    }

    private static String service(String target) {
        return target.substring(0, target.lastIndexOf('-'));
    }

    private static void respond(HttpExchange e, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        e.getResponseHeaders().set("Content-Type", type);
        e.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = e.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        releaseDrains();
        server.stop(0);
        threads.shutdownNow();
    }
}
