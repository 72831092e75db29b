package dev.vigil.fleet;

import java.util.List;
import java.util.Optional;

/**
 * Grants or refuses each action so that the safety limits hold across every agent of a fleet, and carries the
 * fleet-wide kill switch and the open diagnoses that reveal a shared cause. Implementations are thread-safe.
 */
public interface FleetCoordinator extends AutoCloseable {

    /** This agent's name in the fleet (its host name unless configured). */
    String agent();

    /**
     * Asks for permission to act; a grant holds the target's lock until {@link #release}. Never throws for an
     * operational failure: no quorum, a lost session or an unreachable ensemble refuse with {@code failClosed}.
     */
    GrantResult request(GrantRequest request);

    /** Gives the target's lock back after the run (verified or not); the ledger keeps the run. */
    void release(Grant grant);

    /**
     * Whether a granted run may start its next step: the kill switch is off and the session that holds the grant is
     * still live. Checked before every step.
     */
    boolean mayProceed(Grant grant);

    /** Whether the fleet-wide kill switch is on, as last seen (a watch keeps this within a second of a change). */
    boolean killSwitchOn();

    /** Sets the kill switch for the whole fleet. */
    void setKillSwitch(boolean on, String who) throws FleetException;

    /** Publishes that {@code signature} holds on {@code host} (of {@code service}) on this agent, until withdrawn. */
    void publishDiagnosis(String signature, String service, String host);

    /** Withdraws a published diagnosis (it cleared). */
    void withdrawDiagnosis(String signature, String service, String host);

    /**
     * The shared cause behind {@code signature}, when it holds on at least {@code minHosts} hosts of the fleet or at
     * least {@code minPercent} % of the service's {@code serviceInstances}; empty otherwise.
     */
    Optional<GrantResult.SharedCause> sharedCause(String signature, String service, int serviceInstances);

    /** Every open diagnosis published in the fleet, by every agent (what the fleet correlator reads). */
    List<OpenDiagnosis> openDiagnoses();

    /**
     * Records the fleet incident {@code incident} once for the whole fleet.
     *
     * @return true when this call recorded it, so this agent tells; false when another agent (or an earlier leader)
     *         already did. When the record cannot be written it returns true: telling twice beats telling nobody.
     */
    boolean raiseIncident(String incident, String summary);

    /**
     * Records a fleet incident the correlator concluded, fenced like its holds: only while this agent leads.
     *
     * @return true when this call recorded it (the leader tells); false when it already existed, when this agent does
     *         not lead, or when it could not be written (the next round tries again)
     */
    boolean raiseLeaderIncident(String incident, String summary);

    /** Whether this agent is the fleet correlator now (elected; the others stand by). */
    boolean leads();

    /**
     * Makes the fleet's holds exactly {@code holds}, as the fleet correlator; the write is fenced by this agent's
     * leadership, so a deposed leader changes nothing.
     *
     * @return true when the holds are in place; false when this agent does not lead (or no longer does)
     */
    boolean replaceHolds(List<Hold> holds);

    /** The holds in place now; grants for a held service are refused. */
    List<Hold> holds();

    /** The fleet's name (a segment of incident and hold ids). */
    String fleet();

    /** The coordination session as a label: {@code local}, {@code connected}, {@code suspended}, {@code lost}, … */
    String session();

    @Override
    void close();
}
