package dev.vigil.cli;

import dev.vigil.fleet.FleetException;
import dev.vigil.fleet.FleetLimits;
import dev.vigil.fleet.ZooKeeperCoordinator;
import dev.vigil.fleet.ZooKeeperSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil fleet …}: the governors' hand on a fleet of agents. */
@Command(name = "fleet", description = "Act on a fleet of agents that share their limits on ZooKeeper.",
        subcommands = {FleetCommand.KillSwitch.class})
final class FleetCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code vigil fleet kill-switch on|off}: stops (or allows again) every action of every agent of the fleet. */
    @Command(name = "kill-switch", description = "Turn the fleet-wide kill switch on (no agent acts; grants stop within a "
            + "second) or off. Exit 0 when set, 1 when the ensemble could not be reached or written.")
    static final class KillSwitch implements Callable<Integer> {
        enum State { on, off }

        @Parameters(index = "0", description = "on or off")
        State state;

        @Option(names = "--zookeeper", required = true, description = "the ensemble's connect string, HOST:PORT[,HOST:PORT...]")
        String connect;

        @Option(names = "--fleet", required = true, description = "the fleet's name, as in the agents' fleet.name")
        String fleet;

        @Option(names = "--by", defaultValue = "${env:USER:-governor}", description = "who sets it, for the record (default: $USER)")
        String by;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ZooKeeperSettings settings;
            try {
                settings = new ZooKeeperSettings(connect, fleet, Duration.ofSeconds(10), Duration.ofSeconds(5));
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("vigil fleet kill-switch: " + e.getMessage());
                return 2;
            }
            try (ZooKeeperCoordinator zk = ZooKeeperCoordinator.start(settings, "cli:" + by, FleetLimits.DEFAULTS, Clock.systemUTC())) {
                zk.setKillSwitch(state == State.on, by);
                spec.commandLine().getOut().println("fleet " + fleet + ": kill switch " + state + " (by " + by + ")");
                return 0;
            } catch (FleetException e) {
                spec.commandLine().getErr().println("vigil fleet kill-switch: " + e.getMessage());
                return 1;
            }
        }
    }
}
