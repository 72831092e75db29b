package dev.vigil.fleet;

import java.util.Collections;
import java.util.List;

/** A fleet of one host: every agent of the contract is the same coordinator, as every thread of one daemon would be. */
class LocalCoordinatorTest extends FleetCoordinatorContract {
    @Override
    protected List<FleetCoordinator> fleetOf(int n, FleetLimits limits) {
        return Collections.nCopies(n, new LocalCoordinator("host-a", limits, clock));
    }
}
