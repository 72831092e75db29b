package dev.vigil.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command. */
@Command(name = "vigil", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "An autonomous SRE agent: recognises known failure signatures and acts only through pre-validated playbooks.",
        subcommands = {RunCommand.class, ReplayCommand.class, RulesCommand.class, AuditCommand.class, PlaybookCommand.class,
                SignatureCommand.class, FleetCommand.class, ApprovalCommands.List.class, ApprovalCommands.Approve.class,
                ApprovalCommands.Deny.class, BenchCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    /** Runs the command line with its output and errors captured (tests). */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).setOut(out).setErr(err).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the jar's manifest, or "development". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"vigil " + (v == null ? "development" : v)};
        }
    }
}
