package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil approvals}, {@code vigil approve ID}, {@code vigil deny ID --reason …}: answering approval requests
 * through a running daemon's API. Exit 0 when done, 1 when the daemon refused (the message says why), 2 when it
 * cannot be asked.
 */
final class ApprovalCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApprovalCommands() {
    }

    /** {@code vigil approvals}: lists requests (pending ones by default). */
    @Command(name = "approvals", description = "List approval requests of a running daemon (pending ones by default).")
    static final class List implements Callable<Integer> {
        @Mixin
        DaemonClient daemon;

        @Option(names = "--state", paramLabel = "STATE", defaultValue = "pending",
                description = "pending, approved, denied, expired, cancelled or all (default: ${DEFAULT-VALUE}).")
        String state;

        @Option(names = "--json", description = "Print the daemon's JSON as it is.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return run(spec, "vigil approvals", () -> daemon.get("/api/v1/approvals?state="
                    + URLEncoder.encode(state, StandardCharsets.UTF_8)), body -> {
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(body);
                    return;
                }
                JsonNode list = JSON.readTree(body).path("approvals");
                if (list.isEmpty()) {
                    out.println("no " + (state.equals("all") ? "" : state + " ") + "approval requests");
                    return;
                }
                out.printf(Locale.ROOT, "%-28s %-9s %-10s %-28s %-24s %s%n", "ID", "STATE", "APPROVALS", "PLAYBOOK", "EXPIRES", "SIGNATURE ON TARGET");
                for (JsonNode a : list) {
                    out.printf(Locale.ROOT, "%-28s %-9s %-10s %-28s %-24s %s on %s (confidence %.2f)%n", a.path("id").asText(),
                            a.path("state").asText(), a.path("approvals").size() + "/" + a.path("required_approvals").asInt(),
                            a.path("playbook").asText(), a.path("expires_at").asText(), a.path("signature").asText(),
                            a.path("target").toString(), a.path("confidence").asDouble());
                }
            });
        }
    }

    /** {@code vigil approve ID}. */
    @Command(name = "approve", description = "Approve a pending request (needs a token with the approver role).")
    static final class Approve implements Callable<Integer> {
        @Mixin
        DaemonClient daemon;

        @Parameters(paramLabel = "ID", description = "The approval request id (apr-…).")
        String id;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return run(spec, "vigil approve", () -> daemon.post(path(id, "approve"), "{}"),
                    body -> spec.commandLine().getOut().println(id + ": " + JSON.readTree(body).path("message").asText()));
        }
    }

    /** {@code vigil deny ID --reason …}. */
    @Command(name = "deny", description = "Deny a pending request, with a reason (needs a token with the approver role).")
    static final class Deny implements Callable<Integer> {
        @Mixin
        DaemonClient daemon;

        @Parameters(paramLabel = "ID", description = "The approval request id (apr-…).")
        String id;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (journalled).")
        String reason;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("reason", reason);
            return run(spec, "vigil deny", () -> daemon.post(path(id, "deny"), body.toString()),
                    res -> spec.commandLine().getOut().println(id + ": " + JSON.readTree(res).path("message").asText()));
        }
    }

    private static String path(String id, String action) {
        return "/api/v1/approvals/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20") + "/" + action;
    }

    private interface Call {
        DaemonClient.Response send() throws DaemonClient.Unavailable;
    }

    private interface Print {
        void print(String body) throws IOException;
    }

    private static int run(CommandLine.Model.CommandSpec spec, String name, Call call, Print print) {
        PrintWriter err = spec.commandLine().getErr();
        try {
            DaemonClient.Response res = call.send();
            if (res.status() / 100 != 2) {
                String why = res.body();
                try {
                    JsonNode j = JSON.readTree(res.body());
                    why = j.has("error") ? j.path("error").asText() : j.path("message").asText(res.body());
                } catch (IOException e) {
                    // not JSON: print the body as it is
                }
                err.println(name + ": refused (HTTP " + res.status() + "): " + why);
                return 1;
            }
            print.print(res.body());
            return 0;
        } catch (DaemonClient.Unavailable e) {
            err.println(name + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println(name + ": the daemon's answer is not JSON: " + e.getMessage());
            return 2;
        }
    }
}
