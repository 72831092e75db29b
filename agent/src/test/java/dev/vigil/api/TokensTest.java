package dev.vigil.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokensTest {
    private final Tokens tokens = new Tokens(List.of(new Tokens.Entry("alice", Tokens.sha256("t-alice"), Role.APPROVER),
            new Tokens.Entry("gov", Tokens.sha256("t-gov").toUpperCase(), Role.GOVERNOR)));

    @Test
    void aBearerTokenAuthenticatesByItsHashAndAnythingElseDoesNot() {
        assertEquals(Optional.of(new Tokens.Caller("alice", Role.APPROVER)), tokens.authenticate("Bearer t-alice"));
        assertEquals(Optional.of(new Tokens.Caller("gov", Role.GOVERNOR)), tokens.authenticate("bearer t-gov"));
        for (String bad : new String[] {null, "", "Bearer ", "Basic dC1hbGljZQ==", "Bearer t-alicex", Tokens.sha256("t-alice")}) {
            assertTrue(tokens.authenticate(bad).isEmpty(), String.valueOf(bad));
        }
    }

    @Test
    void rolesAreOrderedViewerApproverGovernor() {
        assertTrue(Role.GOVERNOR.covers(Role.APPROVER));
        assertTrue(Role.APPROVER.covers(Role.VIEWER));
        assertFalse(Role.VIEWER.covers(Role.APPROVER));
        assertFalse(Role.APPROVER.covers(Role.GOVERNOR));
        assertEquals(Role.APPROVER, Role.parse("approver"));
    }

    @Test
    void misconfiguredTokensAreRefusedNamingTheTokenAndNeverPrintTheirHash() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Tokens.Entry("bob", "not-a-hash", Role.VIEWER));
        assertTrue(e.getMessage().contains("bob"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Tokens(List.of(
                new Tokens.Entry("a", Tokens.sha256("x"), Role.VIEWER), new Tokens.Entry("b", Tokens.sha256("x"), Role.VIEWER))));
        assertFalse(tokens.toString().contains(Tokens.sha256("t-alice")), tokens.toString());
    }
}
