/**
 * Fleet mode: the safety limits of playbook runs held across many agents. A {@link dev.vigil.fleet.FleetCoordinator}
 * grants (or refuses) each action; {@code local} keeps today's single-host behaviour, {@code zookeeper} commits every
 * grant in one ZooKeeper multi-operation (kill switch, target lock, version-checked ledgers) and fences it with the
 * lock node's creation zxid. Everything fails closed: no quorum, no grant.
 */
package dev.vigil.fleet;
