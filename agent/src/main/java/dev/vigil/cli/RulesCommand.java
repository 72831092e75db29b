package dev.vigil.cli;

import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.daemon.Content;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code vigil rules …}: commands for the governors who write rules and signatures. */
@Command(name = "rules", description = "Check rules, signatures and playbooks.", subcommands = {RulesCommand.Lint.class, RulesTestCommand.class})
final class RulesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code vigil rules lint}: loads everything and checks every cross-reference. */
    @Command(name = "lint", description = "Compile the rules, validate signatures and playbooks against their schemas, "
            + "and check every cross-reference (rule -> signature, evidence key -> rule, signature -> playbook). "
            + "Exit 0 when clean, 1 with every error listed as FILE:LINE: FIELD: MESSAGE.")
    static final class Lint implements Callable<Integer> {
        @Mixin
        ContentOption content;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                Content c = Content.load(content.source());
                out.println("ok: " + c.summary());
                out.flush();
                return 0;
            } catch (ContentException e) {
                for (ContentError error : e.errors()) {
                    err.println(error);
                }
                err.println(e.errors().size() + " error(s)");
                err.flush();
                return 1;
            }
        }
    }
}
