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
 * ensemble's quorum loss last. The correlator's scenario kills one agent (whichever leads); the last scenario uses the
 * agents still alive. {@code shop} and {@code cart} depend on {@code store}, for a dependency outage. Agents a, b and c have 6 s sessions; d has a 3 s session so that a pause of a few
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
        fleet = TestFleet.start(List.of("web", "api", "db", "batch", "store", "shop", "cart", "cache"),
                Map.of("shop", List.of("store"), "cart", List.of("store")), List.of(
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
    @DisplayName("one signature on all 20 instances, seen by four agents: no restart, one fleet incident told once")
    void oneSignatureOnManyHosts_isOneFleetIncident_notRestarts() {
        List<String> batch = Referee.instances("batch");
        List<String> agents = List.of("a", "b", "c", "d");
        referee().breakInstances(batch, agents.toArray(String[]::new));

        fleet.until(SETTLE, "every agent decided on every instance and had its run refused",
                () -> quiescent(agents.stream().collect(Collectors.toMap(a -> a, a -> batch))));

        assertEquals(List.of(), referee().actions("batch"), "a shared cause: nobody acts on it host by host");
        List<JsonNode> incidents = incidents("batch");
        assertEquals(1, incidents.size(), "one fleet incident across all four journals: " + incidents);
        assertEquals("notify", incidents.get(0).path("decision").asText(), incidents.get(0).toString());
        assertEquals(TestFleet.SIGNATURE, incidents.get(0).path("signature").asText());
        String incident = incidents.get(0).path("id").asText();
        for (String a : agents) {
            List<JsonNode> refused = batch.stream().flatMap(t -> fleet.agent(a).records("playbook.refused", t).stream()).toList();
            assertTrue(refused.size() >= batch.size(), a + " had every run refused: " + refused);
            // the runs this agent's own blast radius admitted asked the fleet, which refused them as one shared cause
            List<String> byFleet = refused.stream().filter(r -> r.path("guard").asText().equals("fleet"))
                    .map(r -> r.path("reason").asText()).toList();
            assertFalse(byFleet.isEmpty(), a + " asked the fleet: " + refused);
            assertTrue(byFleet.stream().allMatch(r -> r.startsWith("fleet: held: ")
                    || r.startsWith("fleet: shared_cause: ") && r.contains(incident)),
                    a + ": refused as the one shared cause " + incident + ": " + byFleet);
            assertTrue(refused.stream().allMatch(r -> r.path("guard").asText().matches("fleet|blast-radius")),
                    a + ": the rest its own blast radius refused before asking: " + refused);
        }
    }

    /** The fleet incidents about {@code service} in every agent's journal, the killed ones' included. */
    private List<JsonNode> incidents(String service) {
        return fleet.agents().stream().flatMap(a -> a.records("fleet.incident").stream())
                .filter(r -> r.path("target").path("service").asText().equals(service)).toList();
    }

    @Test
    @Order(5)
    @DisplayName("kill -9 of the correlator after it held a dependency's dependents: the new leader keeps the hold, "
            + "nothing acts on them, the incident is not raised twice")
    void killedCorrelator_leavesNoDuplicateAction_andTheNewLeaderKeepsTheHold() {
        fleet.until(SETTLE, "a correlator leads", () -> fleet.correlator().isPresent());
        String leader = fleet.correlator().orElseThrow();
        List<String> all = List.of("a", "b", "c", "d");
        // two dependents of store fail, seen by every agent: a dependency outage, not two broken services
        referee().breakInstances(List.of("shop-01", "cart-01"), all.toArray(String[]::new));
        fleet.until(SETTLE, "every agent's runs on shop-01 and cart-01 were refused", () -> all.stream()
                .allMatch(a -> fleet.agent(a).settled("shop-01") && fleet.agent(a).settled("cart-01")));
        assertEquals(Set.of("cart", "shop"), fleet.heldServices(), "the correlator " + leader + " held store's dependents");
        fleet.until(Duration.ofSeconds(10), "the outage's incident is journalled", () -> !incidents("store").isEmpty());
        assertEquals(1, incidents("store").size(), "one incident for the outage: " + incidents("store"));

        AgentProcess killed = fleet.agent(leader);
        killed.kill();
        List<String> survivors = all.stream().filter(a -> !a.equals(leader)).toList();
        fleet.until(SETTLE, "another agent took over as correlator",
                () -> fleet.correlator().filter(l -> !l.equals(leader)).isPresent());
        String next = fleet.correlator().orElseThrow();
        long tookOver = System.currentTimeMillis();
        // a few of the new leader's rounds (every 1 s): each rewrites the holds from the survivors' diagnoses
        fleet.until(Duration.ofSeconds(10), "three correlator rounds", () -> System.currentTimeMillis() >= tookOver + 3000);
        assertEquals(Set.of("cart", "shop"), fleet.heldServices(), "the new correlator " + next + " keeps the hold");

        referee().breakInstances(List.of("shop-02"), survivors.toArray(String[]::new));
        fleet.until(SETTLE, "the survivors' runs on shop-02 were refused",
                () -> survivors.stream().allMatch(a -> fleet.agent(a).settled("shop-02")));
        assertEquals(List.of(), referee().actions("shop"), "nothing acted on a held dependent");
        assertEquals(List.of(), referee().actions("cart"), "nothing acted on a held dependent");
        assertEquals(1, incidents("store").size(), "the takeover raised no second incident: " + incidents("store"));
        assertEquals("notify", incidents("store").get(0).path("decision").asText());
        for (String a : survivors) {
            for (String t : List.of("shop-01", "cart-01", "shop-02")) {
                for (JsonNode r : fleet.agent(a).records("playbook.refused", t)) {
                    String reason = r.path("reason").asText();
                    assertTrue(reason.startsWith("fleet: held: ") || reason.startsWith("fleet: locked: "), a + " " + t + ": " + reason);
                }
            }
        }
        List<String> shop02 = survivors.stream().flatMap(a -> fleet.agent(a).records("playbook.refused", "shop-02").stream())
                .map(r -> r.path("reason").asText()).toList();
        assertTrue(shop02.stream().anyMatch(r -> r.startsWith("fleet: held: ") && r.contains("dependency store")),
                "held for store after the takeover: " + shop02);
        System.out.println("FleetEndToEndTest: correlator " + leader + " killed, " + next + " took over and kept the hold");
    }

    @Test
    @Order(6)
    @DisplayName("with two of three ZooKeeper servers stopped no agent gets a grant: nothing acts, and each refusal says why")
    void quorumLost_noGrant_nothingActs() {
        fleet.ensemble().stop(0);
        fleet.ensemble().stop(1);
        List<String> agents = fleet.agents().stream().filter(AgentProcess::alive).map(AgentProcess::name).toList();
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
            // no quorum, no grant, no action: the execute decision became a notify, with the reason, under an id of its own
            String original = refused.get(0).path("decision").asText();
            List<JsonNode> instead = agent.records("decision", "cache-0" + (i + 1)).stream()
                    .filter(d -> d.path("id").asText().equals(original + "-fail-closed")).toList();
            assertEquals(1, instead.size(), agent.name() + ": " + agent.records("decision", "cache-0" + (i + 1)));
            assertEquals("notify", instead.get(0).path("decision").asText(), instead.get(0).toString());
            assertEquals(original, instead.get(0).path("replaces").asText());
            JsonNode reasons = instead.get(0).path("reasons");
            assertTrue(reasons.get(reasons.size() - 1).asText().matches("fleet: (no_quorum|lock_lost): .*fails closed.*"),
                    reasons.toString());
        }
    }
}
