package dev.vigil.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.fact.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExpectationCheckerTest {
    private static final Target APP_1 = Target.serviceHost("checkout", "app-1");
    private static final Target APP_2 = Target.serviceHost("checkout", "app-2");
    private static final String POOL = "db-connection-pool-exhaustion";
    private static final String RECYCLE = "recycle-connection-pool";

    private static final Expectation.Expect RECYCLE_ON_CHECKOUT =
            new Expectation.Expect(POOL, Target.service("checkout"), Set.of("execute"), RECYCLE, 12);

    private static ObservedDecision decision(String signature, Target target, String decision, String playbook) {
        return new ObservedDecision(signature, target, decision, playbook);
    }

    private static List<CheckFailure> check(Expectation e, ObservedDecision... decisions) {
        return ExpectationChecker.check(List.of(e), List.of(decisions));
    }

    @Test
    void expectPassesWhenADecisionMatchesOnATargetHoldingEveryExpectedLabel() {
        assertEquals(List.of(), check(RECYCLE_ON_CHECKOUT,
                decision("other", APP_1, "notify", null),
                decision(POOL, APP_1.with("pool", "HikariPool-1"), "execute", RECYCLE)));
    }

    @Test
    void expectWithoutADecisionForItsSignatureFailsSayingSo() {
        assertEquals(List.of(new CheckFailure(RECYCLE_ON_CHECKOUT, "no decision for " + POOL)),
                check(RECYCLE_ON_CHECKOUT, decision("dependency-outage", APP_1, "execute", "restart-service")));
    }

    @Test
    void expectFailureListsWhatWasDecidedForTheSignatureInstead() {
        List<CheckFailure> failures = check(RECYCLE_ON_CHECKOUT,
                decision(POOL, APP_1, "approve", RECYCLE),
                decision("dependency-outage", APP_1, "execute", "restart-service"),
                decision(POOL, Target.service("cart"), "execute", RECYCLE),
                decision(POOL, APP_1, "execute", "restart-service"),
                decision(POOL, APP_1, "approve", RECYCLE));

        assertEquals(List.of(new CheckFailure(RECYCLE_ON_CHECKOUT, "decided instead: "
                + POOL + " {service=checkout, host=app-1} approve recycle-connection-pool; "
                + POOL + " {service=cart} execute recycle-connection-pool; "
                + POOL + " {service=checkout, host=app-1} execute restart-service")), failures);
    }

    @Test
    void expectAcceptsAnyOfItsDecisionsAndAnyPlaybookWhenNoneIsGiven() {
        Expectation.Expect e = new Expectation.Expect(POOL, Target.ANY, Set.of("suppress", "notify"), null, 3);

        assertEquals(List.of(), check(e, decision(POOL, APP_2, "notify", null)));
        assertEquals(List.of(), check(e, decision(POOL, APP_2, "suppress", RECYCLE)));
        assertEquals(List.of(new CheckFailure(e, "decided instead: " + POOL + " {service=checkout, host=app-2} approve"
                + " recycle-connection-pool")), check(e, decision(POOL, APP_2, "approve", RECYCLE)));
    }

    @Test
    void expectWithAPlaybookFailsOnADecisionWithoutOne() {
        assertEquals(List.of(new CheckFailure(RECYCLE_ON_CHECKOUT, "decided instead: " + POOL
                + " {service=checkout, host=app-1} execute")), check(RECYCLE_ON_CHECKOUT, decision(POOL, APP_1, "execute", null)));
    }

    @Test
    void aLongListOfOtherDecisionsIsCutAfterFiveAndCounted() {
        List<ObservedDecision> run = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            run.add(decision(POOL, Target.of("host", "h" + i), "notify", null));
            run.add(decision(POOL, Target.of("host", "h" + i), "notify", null)); // repeats are listed once
        }

        assertEquals(List.of(new CheckFailure(RECYCLE_ON_CHECKOUT, "decided instead: " + POOL + " {host=h1} notify; "
                + POOL + " {host=h2} notify; " + POOL + " {host=h3} notify; " + POOL + " {host=h4} notify; "
                + POOL + " {host=h5} notify; and 3 more")), ExpectationChecker.check(List.of(RECYCLE_ON_CHECKOUT), run));
    }

    @Test
    void forbidFailsOnAnExecuteOrApproveNamingThePlaybookAndNamesIt() {
        Expectation.Forbid forbid = new Expectation.Forbid("restart-service", Target.ANY, 4);

        assertEquals(List.of(new CheckFailure(forbid, "decided anyway: crashloop {service=search} approve restart-service")),
                check(forbid, decision("crashloop", Target.service("search"), "approve", "restart-service")));
        assertEquals(List.of(new CheckFailure(forbid, "decided anyway: crashloop {service=search} execute restart-service")),
                check(forbid, decision("crashloop", Target.service("search"), "execute", "restart-service")));
    }

    @Test
    void forbidPassesWhenThePlaybookIsOnlyNotifiedOrSuppressedOrAnotherIsChosen() {
        Expectation.Forbid forbid = new Expectation.Forbid("restart-service", Target.ANY, 4);

        assertEquals(List.of(), check(forbid,
                decision("crashloop", Target.service("search"), "notify", "restart-service"),
                decision("crashloop", Target.service("search"), "suppress", "restart-service"),
                decision("crashloop", Target.service("search"), "execute", "rolling-restart-service")));
    }

    @Test
    void forbidWithATargetOnlyForbidsThePlaybookOnMatchingTargets() {
        Expectation.Forbid forbid = new Expectation.Forbid(RECYCLE, Target.of("host", "app-2"), 5);

        assertEquals(List.of(), check(forbid, decision(POOL, APP_1, "execute", RECYCLE)));
        assertEquals(List.of(new CheckFailure(forbid, "decided anyway: " + POOL + " {service=checkout, host=app-2}"
                + " execute recycle-connection-pool")), check(forbid,
                decision(POOL, APP_1, "execute", RECYCLE), decision(POOL, APP_2, "execute", RECYCLE)));
    }

    @Test
    void nonePassesWithOnlyNotifyAndSuppress() {
        Expectation.None none = new Expectation.None(7);

        assertEquals(List.of(), check(none));
        assertEquals(List.of(), check(none, decision(POOL, APP_1, "notify", null),
                decision(POOL, APP_1, "suppress", RECYCLE)));
    }

    @Test
    void noneFailsOnAnyOtherDecisionAndNamesIt() {
        Expectation.None none = new Expectation.None(7);

        assertEquals(List.of(new CheckFailure(none, "decided: " + POOL + " {service=checkout, host=app-1} approve"
                + " recycle-connection-pool")), check(none, decision(POOL, APP_1, "notify", null),
                decision(POOL, APP_1, "approve", RECYCLE)));
    }

    @Test
    void failuresComeInTheOrderOfTheExpectations() {
        Expectation.None none = new Expectation.None(9);
        Expectation.Forbid forbid = new Expectation.Forbid(RECYCLE, Target.ANY, 10);
        Expectation.Expect met = new Expectation.Expect(POOL, APP_1, Set.of("execute"), RECYCLE, 11);

        List<CheckFailure> failures = ExpectationChecker.check(List.of(RECYCLE_ON_CHECKOUT, none, met, forbid),
                List.of(decision(POOL, APP_1, "execute", RECYCLE)));

        assertEquals(List.of(none, forbid), failures.stream().map(CheckFailure::expectation).toList());
    }

    @Test
    void aFailurePrintsItsLineExpectationAndMessage() {
        CheckFailure f = new CheckFailure(new Expectation.Forbid("restart-service", Target.ANY, 4), "decided anyway: x");

        assertEquals("line 4: forbid restart-service: decided anyway: x", f.toString());
    }

    @Test
    void anObservedDecisionMustBeOneOfTheFourWireNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> decision(POOL, APP_1, "EXECUTE", RECYCLE));
        assertEquals("decision must be one of execute, approve, notify, suppress, was \"EXECUTE\"", e.getMessage());
    }
}
