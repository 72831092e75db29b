package dev.vigil.cli;

import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentSource;
import dev.vigil.daemon.Content;
import dev.vigil.daemon.Promotion;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vigil signature promote ID}: moves a signature out of shadow, after checking the content it makes. */
@Command(name = "signature", description = "Manage signatures.", subcommands = SignatureCommand.Promote.class)
final class SignatureCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * Moves {@code signatures/shadow/ID.yaml} over {@code signatures/ID.yaml} when the content still loads and lints
     * afterwards; otherwise puts the files back and prints every error. Exit 0 promoted, 2 refused.
     */
    @Command(name = "promote", description = "Promote a signature out of shadow: signatures/shadow/ID.yaml replaces signatures/ID.yaml, "
            + "so its decisions act (execute, approve) instead of only being recorded. A daemon running from this content directory "
            + "reloads it at once (file watch); otherwise send it SIGHUP.")
    static final class Promote implements Callable<Integer> {
        @Mixin
        ContentOption content;

        @Parameters(paramLabel = "ID", description = "The signature id (file name without .yaml).")
        String id;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                ContentSource source = content.source();
                if (source.directory().isEmpty()) {
                    err.println("vigil signature promote: the built-in content cannot change; name the content directory with --content DIR");
                    return 2;
                }
                Promotion promotion = Promotion.of(source.directory().get(), id);
                promotion.apply();
                try {
                    Content.load(source);
                } catch (ContentException e) {
                    promotion.undo();
                    for (ContentError error : e.errors()) {
                        err.println("vigil signature promote: " + error);
                    }
                    err.println("vigil signature promote: " + id + " stays in shadow: the content would not load");
                    return 2;
                }
                out.println("promoted " + id + ": " + (promotion.replacesLive() ? "its shadow version replaces the live one" : "a new live signature")
                        + " in " + source.description() + "; a daemon on this directory reloads it (file watch or SIGHUP)");
                return 0;
            } catch (IllegalArgumentException e) {
                err.println("vigil signature promote: " + e.getMessage());
                return 2;
            } catch (IOException e) {
                err.println("vigil signature promote: cannot move the file: " + e.getMessage());
                return 2;
            } finally {
                out.flush();
                err.flush();
            }
        }
    }
}
