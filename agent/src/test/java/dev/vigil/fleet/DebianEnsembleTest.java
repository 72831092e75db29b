package dev.vigil.fleet;

import dev.vigil.testing.ZooKeeperEnsemble;

/** The fleet contract on three ZooKeeper servers from Debian's package, each its own process, as in production. */
class DebianEnsembleTest extends ZooKeeperCoordinatorTest {
    @Override
    protected Ensemble startEnsemble() {
        ZooKeeperEnsemble servers = ZooKeeperEnsemble.start(3);
        return new Ensemble() {
            @Override
            public String connectString() {
                return servers.connectString();
            }

            @Override
            public void stop(int server) {
                servers.stop(server);
            }

            @Override
            public void close() {
                servers.close();
            }
        };
    }
}
