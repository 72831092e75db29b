package dev.vigil.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testing.fleet.AgentProcess;
import dev.vigil.testing.fleet.Referee;
import dev.vigil.testing.fleet.TestFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Fleet mode end to end on loopback: four agent JVMs in {@code mode: execute} on three real ZooKeeper servers, each
 * scraping its view of a fake service of 20 instances per service from the {@link Referee}, which records every drain
 * and restart with its agent, target, fencing token and times, and refuses a token lower than one it has seen.
 *
 * <p>The fleet starts once; each scenario acts on a service of its own (the ledgers count per service), in order, the
 * ensemble's quorum loss last. Agents a, b and c have 6 s sessions; d has a 3 s session so that a pause of a few
 * seconds outlives it.
 */
@Tag("fleet-e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class FleetEndToEndTest {
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestFleet fleet;

    @BeforeAll
    void startFleet() throws Exception {
        fleet = TestFleet.start(List.of("web", "api", "db", "cache"), List.of(
                new TestFleet.Spec("a", Duration.ofSeconds(6)), new TestFleet.Spec("b", Duration.ofSeconds(6)),
                new TestFleet.Spec("c", Duration.ofSeconds(6)), new TestFleet.Spec("d", Duration.ofSeconds(3))));
    }

    @AfterAll
    void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private Referee referee() {
        return fleet.referee();
    }

    @Test
    @Order(1)
    @DisplayName("eight broken instances seen by four agents: two restarts fleet-wide (10 % of 20), never two at once on one target")
    void capsHoldFleetWide_andNoTwoActionsOverlapOnOneTarget() throws Exception {
        Map<String, List<String>> views = Map.of(
                "a", List.of("web-01", "web-02", "web-03", "web-04"), "b", List.of("web-03", "web-04", "web-05", "web-06"),
                "c", List.of("web-05", "web-06", "web-07", "web-08"), "d", List.of("web-07", "web-08", "web-01", "web-02"));
        views.forEach((agent, targets) -> targets.forEach(t -> referee().breakInstance(t, agent)));

        fleet.until(SETTLE, "every agent decided on every instance it sees, and no run is under way",
                () -> quiescent(views));

        List<Referee.Action> web = referee().actions("web");
        Set<String> restarted = web.stream().filter(a -> a.accepted() && a.kind().equals("restart"))
                .map(Referee.Action::target).collect(Collectors.toSet());
        assertEquals(2, restarted.size(), "10 % of 20 instances, across all four agents: " + web);
        assertEquals(List.of(), referee().overlaps(), "actions on one target never overlap");
        assertTrue(web.stream().allMatch(a -> a.accepted() && a.token() > 0), "every action carried a grant's token: " + web);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        JsonNode record = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(referee().baseUrl() + "/actions")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(web.size(), record.size(), "the referee's record, asked over HTTP: " + record);
        assertEquals(web.get(0).token(), record.get(0).path("token").asLong());
        List<String> refusals = fleet.agents().stream().flatMap(a -> a.records("playbook.refused").stream())
                .map(r -> r.path("reason").asText()).toList();
        assertTrue(refusals.stream().anyMatch(r -> r.contains("fleet-wide")),
                "the fleet's blast radius refused the others: " + refusals);
    }

    /** Every execute decision of every agent has a refusal or an outcome, and every agent decided on each target still broken. */
    private boolean quiescent(Map<String, List<String>> views) {
        for (Map.Entry<String, List<String>> view : views.entrySet()) {
            AgentProcess agent = fleet.agent(view.getKey());
            for (String target : view.getValue()) {
                boolean decided = !agent.records("decision", target).isEmpty();
                if (referee().isBroken(target) && !decided) {
                    return false;
                }
                if (decided && !agent.settled(target)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    @Order(2)
    @DisplayName("the fleet kill switch, set by `vigil fleet kill-switch on`, stops runs in flight before their next step and refuses new grants")
    void killSwitch_stopsRunsBeforeTheirNextStep_andRefusesGrants() {
        Set<String> drained = ConcurrentHashMap.newKeySet();
        referee().onDrain((agent, target) -> drained.add(target));
        referee().holdDrains();
        try {
            referee().breakInstance("api-01", "a");
            referee().breakInstance("api-02", "b");
            fleet.until(SETTLE, "both runs are in their drain step", () -> drained.containsAll(Set.of("api-01", "api-02")));

            fleet.killSwitch(true);
            long switched = System.currentTimeMillis();
            fleet.until(Duration.ofSeconds(5), "one second after the switch", () -> System.currentTimeMillis() >= switched + 1000);
            referee().releaseDrains();
            referee().breakInstance("api-03", "c");

            fleet.until(SETTLE, "the three runs ended", () -> fleet.agent("a").settled("api-01")
                    && fleet.agent("b").settled("api-02") && fleet.agent("c").settled("api-03"));
            assertEquals(List.of(), referee().actions("api").stream().filter(a -> a.kind().equals("restart")).toList(),
                    "no restart after the kill switch");
            for (String[] run : new String[][] {{"a", "api-01"}, {"b", "api-02"}}) {
                JsonNode outcome = fleet.agent(run[0]).records("playbook.outcome", run[1]).get(0);
                assertEquals("stopped", outcome.path("outcome").asText(), outcome.toString());
                assertTrue(outcome.path("reason").asText().contains("fleet grant no longer holds"), outcome.toString());
            }
            JsonNode refused = fleet.agent("c").records("playbook.refused", "api-03").get(0);
            assertTrue(refused.path("reason").asText().startsWith("fleet: kill_switch"), refused.toString());
        } finally {
            referee().releaseDrains();
            referee().onDrain((agent, target) -> { });
            fleet.killSwitch(false);
        }
    }

    @Test
    @Order(3)
    @DisplayName("an agent paused (SIGSTOP) past its session and resumed does not act: its stale token is refused or its run stops")
    void pausedAgent_losesItsGrant_andItsStaleTokenIsRefused() {
        AgentProcess paused = fleet.agent("d");
        AtomicLong pausedAt = new AtomicLong();
        referee().onDrain((agent, target) -> {
            if (agent.equals("d") && target.equals("db-01") && pausedAt.get() == 0) {
                paused.pause(); // between its first step and its second, holding the grant
                pausedAt.set(System.currentTimeMillis());
            }
        });
        try {
            referee().breakInstance("db-01", "d");
            fleet.until(SETTLE, "d is paused in its drain step", () -> pausedAt.get() > 0);
            fleet.until(Duration.ofSeconds(30), "d's session expired and its lock is gone", () -> !fleet.lockHolders().contains("d"));

            referee().show("db-01", "a");
            fleet.until(SETTLE, "a restarted db-01", () -> fleet.agent("a").settled("db-01"));
            assertEquals("verified", fleet.agent("a").records("playbook.outcome", "db-01").get(0).path("outcome").asText(),
                    fleet.agent("a").records("playbook.outcome", "db-01").toString());

            paused.resume();
            fleet.until(SETTLE, "d's run ended", () -> paused.settled("db-01"));
        } finally {
            referee().onDrain((agent, target) -> { });
            paused.resume();
        }
        List<Referee.Action> db = referee().actions("db");
        long aToken = db.stream().filter(x -> x.agent().equals("a") && x.accepted()).mapToLong(Referee.Action::token)
                .findFirst().orElseThrow();
        List<Referee.Action> byD = db.stream().filter(x -> x.agent().equals("d")).toList();
        assertEquals("drain", byD.get(0).kind(), "d's first step ran before the pause: " + byD);
        assertTrue(byD.get(0).token() < aToken, "a's grant came later, with a higher token: " + db);
        List<Referee.Action> afterResume = byD.subList(1, byD.size());
        assertTrue(afterResume.stream().noneMatch(Referee.Action::accepted), "d did not act after it resumed: " + db);
        assertTrue(afterResume.stream().allMatch(x -> x.reason().startsWith("stale token")), "refused for its stale token: " + db);
        JsonNode outcome = paused.records("playbook.outcome", "db-01").get(0);
        String how = afterResume.isEmpty() ? "its run stopped before the second step" : "the referee refused its stale token";
        assertTrue(afterResume.isEmpty() ? outcome.path("outcome").asText().equals("stopped")
                : outcome.path("outcome").asText().equals("failed"), how + ": " + outcome);
        assertEquals(List.of(), referee().overlaps(), "actions on one target never overlap");
        System.out.println("FleetEndToEndTest: after its resume, " + how + "; d's token " + byD.get(0).token()
                + " < a's " + aToken);
    }

    @Test
    @Order(4)
    @DisplayName("with two of three ZooKeeper servers stopped no agent gets a grant: nothing acts, and each refusal says why")
    void quorumLost_noGrant_nothingActs() {
        fleet.ensemble().stop(0);
        fleet.ensemble().stop(1);
        List<String> agents = List.of("a", "b", "c", "d");
        for (int i = 0; i < agents.size(); i++) {
            referee().breakInstance("cache-0" + (i + 1), agents.get(i));
        }

        fleet.until(SETTLE, "every agent's run was refused", () -> {
            for (int i = 0; i < agents.size(); i++) {
                if (!fleet.agent(agents.get(i)).settled("cache-0" + (i + 1))) {
                    return false;
                }
            }
            return true;
        });
        assertEquals(List.of(), referee().actions("cache"), "nothing acted without a quorum");
        for (int i = 0; i < agents.size(); i++) {
            AgentProcess agent = fleet.agent(agents.get(i));
            List<JsonNode> refused = agent.records("playbook.refused", "cache-0" + (i + 1));
            assertFalse(refused.isEmpty(), agent.name() + ": " + agent.records("playbook.outcome"));
            String reason = refused.get(0).path("reason").asText();
            assertTrue(reason.matches("fleet: (no_quorum|lock_lost): .*\\(fails closed: nothing acts\\)"), reason);
        }
    }
}
