package dev.vigil.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet coordinator on ZooKeeper, through Curator. Thread-safe.
 *
 * <p>Implementation note. Layout under {@code /vigil/<fleet>}: {@code kill-switch} (JSON {@code {"on":…,"by":…}}),
 * {@code locks/<target>/lock-NNNNNNNNNN} (ephemeral sequential: the lowest holds the target),
 * {@code ledger/fleet} and {@code ledger/services/<service>} (the {@link Ledger} as JSON), and
 * {@code diagnoses/<signature>/<agent|service|host>} (ephemeral), {@code holds/<service>} (JSON list of {@link Hold},
 * written by the correlator), {@code incidents/<id>} (one per fleet incident, created once) and {@code leader/}
 * (Curator's leader latch). Names from telemetry are base64url-encoded, so a hostile target can never become a path.
 * A grant is one {@code multi}: check the kill switch at the version read as off, check the agent's own lock node
 * still exists (it vanishes with the session), check the service's holds node at the version read (none covering the request), and set
 * both ledgers at the versions read. The correlator's writes are one {@code multi} that opens with a check of its
 * own latch node, which vanishes with its session: a deposed leader's write fails as a whole. Two agents racing for the same service's cap cannot both win: the second's ledger version is stale,
 * it re-reads and re-decides. The grant's token is the lock node's creation zxid, which only grows.
 */
public final class ZooKeeperCoordinator implements FleetCoordinator {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperCoordinator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 8;
    private static final int MAX_NAME_BYTES = 512;
    private static final byte[] NO_HOLDS = "[]".getBytes(StandardCharsets.UTF_8);
    private static final com.fasterxml.jackson.core.type.TypeReference<List<Hold>> HOLDS =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

    private final ZooKeeperSettings settings;
    private final String agent;
    private final FleetLimits limits;
    private final InstantSource clock;
    private final CuratorFramework client;
    private final CuratorCache killCache;
    private final Map<Long, String> heldLocks = new ConcurrentHashMap<>();
    private volatile ConnectionState state; // null until the first connection
    private volatile boolean killSwitch;
    private volatile LeaderLatch latch; // set once leader election starts
    private volatile String leaderPath; // this agent's latch node while it leads; the fence of its writes

    private ZooKeeperCoordinator(ZooKeeperSettings settings, String agent, FleetLimits limits, InstantSource clock) {
        this.settings = settings;
        this.agent = agent;
        this.limits = limits;
        this.clock = clock;
        this.client = CuratorFrameworkFactory.builder()
                .connectString(settings.connect())
                .sessionTimeoutMs((int) settings.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) settings.connectionTimeout().toMillis())
                // few retries: a grant that cannot be decided soon is refused (fail closed), not waited for
                .retryPolicy(new RetryNTimes(1, 100))
                .build();
        this.killCache = CuratorCache.build(client, killPath());
    }

    /** Connects to the ensemble and prepares the fleet's nodes; fails when no quorum answers within the timeout. */
    public static ZooKeeperCoordinator start(ZooKeeperSettings settings, String agent, FleetLimits limits, InstantSource clock)
            throws FleetException {
        ZooKeeperCoordinator c = new ZooKeeperCoordinator(settings, agent, limits, clock);
        c.client.getConnectionStateListenable().addListener((cf, s) -> c.onState(s));
        c.client.start();
        try {
            if (!c.client.blockUntilConnected((int) settings.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                c.client.close();
                throw new FleetException("no ZooKeeper quorum at " + settings.connect() + " within " + settings.connectionTimeout(), null);
            }
            if (c.state == null) {
                c.state = ConnectionState.CONNECTED; // the listener's event may still be on its way
            }
            c.ensure(c.killPath(), off("vigil"));
            c.ensure(c.fleetLedgerPath(), Ledger.EMPTY.toBytes());
            c.killCache.listenable().addListener(CuratorCacheListener.builder().forAll((type, before, after) ->
                    c.killSwitch = after != null && isOn(after.getData())).build());
            c.killCache.start();
            c.killSwitch = isOn(c.client.getData().forPath(c.killPath()));
        } catch (FleetException e) {
            throw e;
        } catch (Exception e) {
            c.close();
            throw new FleetException("cannot prepare fleet " + settings.fleet() + " on " + settings.connect() + ": " + e.getMessage(), e);
        }
        return c;
    }

    private void onState(ConnectionState s) {
        state = s;
        if (s == ConnectionState.LOST) {
            heldLocks.clear(); // the ephemeral lock nodes went with the session
        }
        log.info("fleet {}: ZooKeeper session {}", settings.fleet(), s);
    }

    @Override
    public String agent() {
        return agent;
    }

    /** The session's state as last reported by Curator. */
    public ConnectionState sessionState() {
        return state;
    }

    private boolean live() {
        return state == ConnectionState.CONNECTED || state == ConnectionState.RECONNECTED;
    }

    @Override
    public GrantResult request(GrantRequest r) {
        if (!live()) {
            return new GrantResult.Refused(GrantResult.Reason.NO_QUORUM, "no grant: the ZooKeeper session is " + (state == null ? "not connected" : state)
                    + " (no quorum reachable)");
        }
        String lock = null;
        try {
            checkName(r.target());
            checkName(r.service());
            Stat killStat = new Stat();
            if (isOn(client.getData().storingStatIn(killStat).forPath(killPath()))) {
                return new GrantResult.Refused(GrantResult.Reason.KILL_SWITCH, "the fleet kill switch is on");
            }
            Optional<GrantResult.SharedCause> shared = sharedCause(r.signature(), r.service(), r.serviceInstances());
            if (shared.isPresent()) {
                return new GrantResult.Refused(GrantResult.Reason.SHARED_CAUSE, "shared cause: " + r.signature() + " holds on "
                        + shared.get().hosts().size() + " hosts " + shared.get().hosts() + "; fleet incident "
                        + shared.get().incident(), shared.get());
            }
            Stat lockStat = new Stat();
            lock = client.create().storingStatIn(lockStat).creatingParentsIfNeeded()
                    .withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath(lockDir(r.target()) + "/lock-", agent.getBytes(StandardCharsets.UTF_8));
            Optional<String> other = otherHolder(lockDir(r.target()), lock);
            if (other.isPresent()) {
                deleteQuietly(lock);
                return new GrantResult.Refused(GrantResult.Reason.LOCKED, "target " + r.target() + " is being acted on by agent "
                        + other.get());
            }
            GrantResult result = commit(r, lock, lockStat.getCzxid(), killStat);
            if (result instanceof GrantResult.Granted) {
                lock = null; // kept until release
            }
            return result;
        } catch (KeeperException.ConnectionLossException | KeeperException.SessionExpiredException e) {
            return new GrantResult.Refused(GrantResult.Reason.NO_QUORUM, "no grant: ZooKeeper " + e.code() + " (no quorum reachable)");
        } catch (IllegalArgumentException e) {
            return new GrantResult.Refused(GrantResult.Reason.INVALID, e.getMessage());
        } catch (Exception e) {
            return new GrantResult.Refused(GrantResult.Reason.NO_QUORUM, "no grant: ZooKeeper failed: " + e);
        } finally {
            if (lock != null) {
                deleteQuietly(lock);
            }
        }
    }

    /**
     * The agent holding the lock of {@code dir} when it is not our {@code lock}, or empty when ours is the lowest. A
     * holder that releases while we read its name is looked past (only lower nodes can go, so this ends).
     */
    private Optional<String> otherHolder(String dir, String lock) throws Exception {
        while (true) {
            String holder = lowest(dir);
            if (lock.endsWith("/" + holder)) {
                return Optional.empty();
            }
            try {
                return Optional.of(new String(client.getData().forPath(dir + "/" + holder), StandardCharsets.UTF_8));
            } catch (KeeperException.NoNodeException released) {
                // it let go between the listing and the read: list again
            }
        }
    }

    /** Reads both ledgers, decides, and commits in one multi; a concurrent writer makes it read and decide again. */
    private GrantResult commit(GrantRequest r, String lock, long token, Stat killStat) throws Exception {
        String serviceLedger = serviceLedgerPath(r.service());
        ensure(serviceLedger, Ledger.EMPTY.toBytes());
        String holdsNode = holdsPath(r.service());
        ensure(holdsNode, NO_HOLDS);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long now = clock.millis();
            Stat holdsStat = new Stat();
            Optional<Hold> held = readHolds(client.getData().storingStatIn(holdsStat).forPath(holdsNode)).stream()
                    .filter(h -> h.covers(r.service(), r.signature())).findFirst();
            if (held.isPresent()) {
                return new GrantResult.Refused(GrantResult.Reason.HELD, "held by the fleet correlator (" + held.get().id()
                        + "): " + held.get().reason());
            }
            Stat serviceStat = new Stat();
            Stat fleetStat = new Stat();
            Ledger service = Ledger.fromBytes(client.getData().storingStatIn(serviceStat).forPath(serviceLedger));
            Ledger fleet = Ledger.fromBytes(client.getData().storingStatIn(fleetStat).forPath(fleetLedgerPath()));
            GrantResult.Refused refusal = service.serviceRefusal(r, now);
            if (refusal == null) {
                refusal = fleet.fleetRefusal(r, now, limits.maxTargetsPerHour());
            }
            if (refusal != null) {
                return refusal;
            }
            Ledger.Entry entry = new Ledger.Entry(r.target(), r.service(), r.playbook(), agent, token, now);
            List<CuratorOp> ops = List.of(
                    client.transactionOp().check().withVersion(killStat.getVersion()).forPath(killPath()),
                    client.transactionOp().check().forPath(lock),
                    client.transactionOp().check().withVersion(holdsStat.getVersion()).forPath(holdsNode),
                    client.transactionOp().setData().withVersion(serviceStat.getVersion()).forPath(serviceLedger, service.with(entry, now).toBytes()),
                    client.transactionOp().setData().withVersion(fleetStat.getVersion()).forPath(fleetLedgerPath(), fleet.with(entry, now).toBytes()));
            try {
                client.transaction().forOperations(ops);
                Grant grant = new Grant(agent, r.playbook(), r.service(), r.target(), token, now);
                heldLocks.put(token, lock);
                return new GrantResult.Granted(grant);
            } catch (KeeperException e) {
                int failed = failedOp(e);
                if (failed == 0) {
                    if (isOn(client.getData().storingStatIn(killStat).forPath(killPath()))) {
                        return new GrantResult.Refused(GrantResult.Reason.KILL_SWITCH, "the fleet kill switch was turned on");
                    }
                } else if (failed == 1) {
                    return new GrantResult.Refused(GrantResult.Reason.LOCK_LOST, "no grant: this agent lost its lock on "
                            + r.target() + " (session ended)");
                } else if (!(e instanceof KeeperException.BadVersionException)) {
                    throw e;
                }
                // a ledger or the holds moved under us: read them again and decide again
            }
        }
        return new GrantResult.Refused(GrantResult.Reason.CONTENTION, "the ledger of " + r.service()
                + " kept changing; asking again later");
    }

    /** Which operation of a failed multi failed first, or -1. */
    private static int failedOp(KeeperException e) {
        List<OpResult> results = e.getResults();
        if (results == null) {
            return -1;
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof OpResult.ErrorResult err
                    && err.getErr() != KeeperException.Code.OK.intValue()
                    && err.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void release(Grant grant) {
        String lock = heldLocks.remove(grant.token());
        if (lock != null) {
            deleteQuietly(lock);
        }
    }

    @Override
    public boolean mayProceed(Grant grant) {
        return live() && !killSwitch && heldLocks.containsKey(grant.token());
    }

    @Override
    public boolean killSwitchOn() {
        return killSwitch;
    }

    @Override
    public void setKillSwitch(boolean on, String who) throws FleetException {
        try {
            byte[] data = JSON.writeValueAsBytes(Map.of("on", on, "by", who, "at", clock.millis()));
            client.setData().forPath(killPath(), data);
            killSwitch = on;
        } catch (Exception e) {
            throw new FleetException("cannot set the kill switch of fleet " + settings.fleet() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void publishDiagnosis(String signature, String service, String host) {
        try {
            client.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
                    .forPath(diagnosisPath(signature, service, host));
        } catch (KeeperException.NodeExistsException e) {
            // already published
        } catch (Exception e) {
            log.warn("fleet {}: cannot publish diagnosis {} on {}: {}", settings.fleet(), signature, host, e.toString());
        }
    }

    @Override
    public void withdrawDiagnosis(String signature, String service, String host) {
        deleteQuietly(diagnosisPath(signature, service, host));
    }

    @Override
    public Optional<GrantResult.SharedCause> sharedCause(String signature, String service, int serviceInstances) {
        List<OpenDiagnosis> open = new ArrayList<>();
        try {
            for (String child : client.getChildren().forPath(settings.root() + "/diagnoses/" + encode(signature))) {
                String[] parts = decode(child).split("\n", 3);
                if (parts.length == 3) {
                    open.add(new OpenDiagnosis(parts[0], signature, parts[1], parts[2]));
                }
            }
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            log.warn("fleet {}: cannot read open diagnoses of {}: {}", settings.fleet(), signature, e.toString());
            return Optional.empty();
        }
        return SharedCauses.detect(settings.fleet(), signature, service, serviceInstances, open, limits, clock.millis());
    }

    @Override
    public List<OpenDiagnosis> openDiagnoses() {
        List<OpenDiagnosis> open = new ArrayList<>();
        try {
            String dir = settings.root() + "/diagnoses";
            for (String sig : client.getChildren().forPath(dir)) {
                String signature = decode(sig);
                for (String child : client.getChildren().forPath(dir + "/" + sig)) {
                    String[] parts = decode(child).split("\n", 3);
                    if (parts.length == 3) {
                        open.add(new OpenDiagnosis(parts[0], signature, parts[1], parts[2]));
                    }
                }
            }
        } catch (KeeperException.NoNodeException e) {
            // nothing published yet, or a signature withdrawn while we read
        } catch (Exception e) {
            log.warn("fleet {}: cannot read the open diagnoses: {}", settings.fleet(), e.toString());
        }
        return open;
    }

    @Override
    public boolean raiseIncident(String incident, String summary) {
        try {
            client.create().creatingParentsIfNeeded().forPath(settings.root() + "/incidents/" + encode(incident),
                    JSON.writeValueAsBytes(Map.of("by", agent, "at", clock.millis(), "summary", summary)));
            return true;
        } catch (KeeperException.NodeExistsException e) {
            return false;
        } catch (Exception e) {
            log.warn("fleet {}: cannot record incident {} ({}); telling anyway", settings.fleet(), incident, e.toString());
            return true;
        }
    }

    @Override
    public boolean raiseLeaderIncident(String incident, String summary) {
        String fence = leaderPath;
        return leads() && fence != null && raiseIncident(incident, summary, fence);
    }

    /** Creates the incident node in one multi that first checks {@code fence} (a latch node) exists. */
    boolean raiseIncident(String incident, String summary, String fence) {
        try {
            ensure(settings.root() + "/incidents", new byte[0]);
            client.transaction().forOperations(List.of(
                    client.transactionOp().check().forPath(fence),
                    client.transactionOp().create().forPath(settings.root() + "/incidents/" + encode(incident),
                            JSON.writeValueAsBytes(Map.of("by", agent, "at", clock.millis(), "summary", summary)))));
            return true;
        } catch (KeeperException e) {
            return false; // the fence is gone (deposed) or the incident exists (raised before a takeover)
        } catch (Exception e) {
            log.warn("fleet {}: cannot record incident {} ({}); the next round tries again", settings.fleet(), incident, e.toString());
            return false;
        }
    }

    /**
     * Joins the election of the fleet correlator (Curator's leader latch under {@code leader/}); the agent with the
     * oldest latch node leads until its session ends. Idempotent.
     */
    public synchronized void joinLeaderElection() throws FleetException {
        if (latch != null) {
            return;
        }
        LeaderLatch l = new LeaderLatch(client, settings.root() + "/leader", agent);
        l.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                leaderPath = l.getOurPath();
                log.info("fleet {}: this agent ({}) is the fleet correlator now", settings.fleet(), agent);
            }

            @Override
            public void notLeader() {
                leaderPath = null;
                log.info("fleet {}: this agent ({}) stands by as correlator", settings.fleet(), agent);
            }
        });
        try {
            l.start();
        } catch (Exception e) {
            throw new FleetException("cannot join the correlator election of fleet " + settings.fleet() + ": " + e.getMessage(), e);
        }
        latch = l;
    }

    @Override
    public boolean leads() {
        LeaderLatch l = latch;
        return l != null && leaderPath != null && l.hasLeadership() && live();
    }

    /** The latch node this agent leads with, while it leads (the fence of its writes). */
    Optional<String> leaderPath() {
        return leads() ? Optional.ofNullable(leaderPath) : Optional.empty();
    }

    @Override
    public boolean replaceHolds(List<Hold> holds) {
        String fence = leaderPath;
        return leads() && fence != null && writeHolds(holds, fence);
    }

    /**
     * Makes the holds exactly {@code holds} in one multi that first checks {@code fence} (a latch node) exists.
     *
     * @return false when the fence is gone (the writer no longer leads) or ZooKeeper cannot be reached
     */
    boolean writeHolds(List<Hold> holds, String fence) {
        Map<String, List<Hold>> wanted = new java.util.TreeMap<>();
        for (Hold h : holds) {
            checkName(h.service());
            wanted.computeIfAbsent(h.service(), k -> new ArrayList<>()).add(h);
        }
        wanted.values().forEach(l -> l.sort(java.util.Comparator.comparing(Hold::id)));
        String dir = settings.root() + "/holds";
        try {
            ensure(dir, new byte[0]);
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                List<CuratorOp> ops = new ArrayList<>();
                ops.add(client.transactionOp().check().forPath(fence));
                java.util.Set<String> services = new java.util.TreeSet<>(wanted.keySet());
                List<String> present = children(dir);
                present.forEach(node -> services.add(decode(node)));
                for (String service : services) {
                    List<Hold> want = wanted.getOrDefault(service, List.of());
                    byte[] data = JSON.writeValueAsBytes(want);
                    if (present.contains(encode(service))) {
                        Stat stat = new Stat();
                        List<Hold> have = readHolds(client.getData().storingStatIn(stat).forPath(holdsPath(service)));
                        if (!have.equals(want)) {
                            ops.add(client.transactionOp().setData().withVersion(stat.getVersion()).forPath(holdsPath(service), data));
                        }
                    } else if (!want.isEmpty()) {
                        ops.add(client.transactionOp().create().forPath(holdsPath(service), data));
                    }
                }
                try {
                    client.transaction().forOperations(ops); // the fence alone is checked even when nothing changes
                    return true;
                } catch (KeeperException e) {
                    if (failedOp(e) == 0) {
                        log.warn("fleet {}: holds not written: agent {} no longer leads (its latch node is gone)", settings.fleet(), agent);
                        return false;
                    }
                    // a holds node appeared or moved (a grant made it): read again
                }
            }
            return false;
        } catch (KeeperException.NoNodeException e) {
            return false;
        } catch (Exception e) {
            log.warn("fleet {}: cannot write the holds: {}", settings.fleet(), e.toString());
            return false;
        }
    }

    @Override
    public List<Hold> holds() {
        List<Hold> out = new ArrayList<>();
        try {
            for (String node : children(settings.root() + "/holds")) {
                try {
                    out.addAll(readHolds(client.getData().forPath(settings.root() + "/holds/" + node)));
                } catch (KeeperException.NoNodeException e) {
                    // removed while we read
                }
            }
        } catch (Exception e) {
            log.warn("fleet {}: cannot read the holds: {}", settings.fleet(), e.toString());
        }
        return out;
    }

    @Override
    public String fleet() {
        return settings.fleet();
    }

    @Override
    public String session() {
        ConnectionState s = state;
        return s == null ? "connecting" : s == ConnectionState.RECONNECTED ? "connected" : s.name().toLowerCase(java.util.Locale.ROOT);
    }

    private List<String> children(String dir) throws Exception {
        try {
            return client.getChildren().forPath(dir);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    private static List<Hold> readHolds(byte[] data) throws java.io.IOException {
        return data == null || data.length == 0 ? List.of() : JSON.readValue(data, HOLDS);
    }

    /** Ends this agent's ZooKeeper session as a network partition would (tests of fencing and session loss). */
    void expireSessionForTest() throws Exception {
        client.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
    }

    @Override
    public void close() {
        LeaderLatch l = latch;
        if (l != null) {
            try {
                l.close();
            } catch (Exception e) {
                log.warn("fleet {}: cannot leave the correlator election: {}", settings.fleet(), e.toString());
            }
        }
        killCache.close();
        client.close();
    }

    private String lowest(String dir) throws Exception {
        List<String> children = new ArrayList<>(client.getChildren().forPath(dir));
        Collections.sort(children); // lock-NNNNNNNNNN: the sequence sorts as text
        return children.get(0);
    }

    private void ensure(String path, byte[] initial) throws Exception {
        try {
            client.create().creatingParentsIfNeeded().forPath(path, initial);
        } catch (KeeperException.NodeExistsException e) {
            // another agent made it first
        }
    }

    private void deleteQuietly(String path) {
        try {
            client.delete().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            // already gone (session ended)
        } catch (Exception e) {
            log.warn("fleet {}: cannot delete {}: {} (it goes with the session)", settings.fleet(), path, e.toString());
        }
    }

    private String killPath() {
        return settings.root() + "/kill-switch";
    }

    private String fleetLedgerPath() {
        return settings.root() + "/ledger/fleet";
    }

    private String serviceLedgerPath(String service) {
        return settings.root() + "/ledger/services/" + encode(service);
    }

    private String holdsPath(String service) {
        return settings.root() + "/holds/" + encode(service);
    }

    private String lockDir(String target) {
        return settings.root() + "/locks/" + encode(target);
    }

    private String diagnosisPath(String signature, String service, String host) {
        return settings.root() + "/diagnoses/" + encode(signature) + "/" + encode(agent + "\n" + service + "\n" + host);
    }

    private static void checkName(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("a name longer than " + MAX_NAME_BYTES + " bytes is refused: " + name.substring(0, 64) + "…");
        }
    }

    private static String encode(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String node) {
        return new String(Base64.getUrlDecoder().decode(node), StandardCharsets.UTF_8);
    }

    private static byte[] off(String who) {
        return ("{\"on\":false,\"by\":\"" + who + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static boolean isOn(byte[] data) {
        if (data == null || data.length == 0) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(data);
            return node.path("on").asBoolean(true); // unreadable means on: fail closed
        } catch (java.io.IOException e) {
            return true;
        }
    }
}
