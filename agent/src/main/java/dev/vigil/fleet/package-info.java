/**
 * Fleet mode: the safety limits of playbook runs held across many agents. A {@link dev.vigil.fleet.FleetCoordinator}
 * grants (or refuses) each action; {@code local} keeps today's single-host behaviour, {@code zookeeper} commits every
 * grant in one ZooKeeper multi-operation (kill switch, target lock, version-checked ledgers) and fences it with the
 * lock node's creation zxid. Everything fails closed: no quorum, no grant.
 *
 * <p>Agents publish their open diagnoses; one signature on many hosts is a shared cause (no grant, one incident with a
 * deterministic id). One agent, elected by Curator's leader latch, runs the {@link dev.vigil.fleet.FleetCorrelator}
 * (Drools) over the fleet's diagnoses and writes {@link dev.vigil.fleet.Hold}s that grants check; its writes are fenced
 * by its latch node. Incident and hold ids depend only on the fleet, what they are about and the hour, so a new leader
 * or a second agent never raises one twice.
 */
package dev.vigil.fleet;
