package dev.vigil.fleet;

import org.apache.curator.test.TestingCluster;

/** The fleet contract on Curator's in-process ZooKeeper servers (real ZooKeeper code, one JVM). */
class InProcessEnsembleTest extends ZooKeeperCoordinatorTest {
    @Override
    protected Ensemble startEnsemble() throws Exception {
        TestingCluster cluster = new TestingCluster(3);
        cluster.start();
        return new Ensemble() {
            @Override
            public String connectString() {
                return cluster.getConnectString();
            }

            @Override
            public void stop(int server) throws Exception {
                cluster.getServers().get(server).stop();
            }

            @Override
            public void close() throws Exception {
                cluster.close();
            }
        };
    }
}
