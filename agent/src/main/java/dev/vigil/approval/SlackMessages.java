package dev.vigil.approval;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.confirmationDialog;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.element.ButtonElement;
import dev.vigil.decision.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Block Kit messages Vigil posts: an approval request (evidence, confidence and reasons, Approve / Deny with a
 * confirm dialog on Approve), its outcome, and a notify decision (no buttons). Untrusted text from telemetry goes
 * into plain-text objects only, so it cannot mention or link. Stateless; thread-safe.
 */
final class SlackMessages {
    static final String APPROVE = "vigil_approve";
    static final String DENY = "vigil_deny";
    /** Slack rejects a text object over 3000 characters. */
    private static final int MAX_TEXT = 2900;

    private SlackMessages() {
    }

    static List<LayoutBlock> request(ApprovalRequest r) {
        List<LayoutBlock> blocks = describe(r.signature(), r.target().labels(), r.confidence(), r.playbook(),
                r.parameters(), r.reasons(), r.evidence());
        blocks.add(context(List.of(plainText(status(r)))));
        if (r.state() == ApprovalState.PENDING) {
            blocks.add(actions(List.of(
                    ButtonElement.builder().actionId(APPROVE).value(r.id()).style("primary").text(plainText("Approve"))
                            .confirm(confirmationDialog(c -> c.title(plainText("Run " + clip(r.playbook(), 60) + "?"))
                                    .text(plainText("Run playbook " + r.playbook() + " on " + r.target().labels()
                                            + (r.requiredApprovals() > 1 ? " (needs " + r.requiredApprovals() + " approvers)" : "")))
                                    .confirm(plainText("Approve")).deny(plainText("Cancel")))).build(),
                    ButtonElement.builder().actionId(DENY).value(r.id()).style("danger").text(plainText("Deny")).build())));
        }
        return blocks;
    }

    static String fallback(ApprovalRequest r) {
        return "Approve " + r.playbook() + " on " + r.target().labels() + "? " + status(r);
    }

    static List<LayoutBlock> notice(Decision d) {
        return describe(d.signature(), d.target().labels(), d.confidence(), d.playbook() == null ? "none" : d.playbook(),
                Map.of(), d.reasons(), d.evidence());
    }

    static String fallback(Decision d) {
        return d.signature() + " on " + d.target().labels() + ": " + d.kind().wireName();
    }

    private static List<LayoutBlock> describe(String signature, Map<String, String> target, double confidence,
                                              String playbook, Map<String, String> parameters, List<String> reasons,
                                              Map<String, String> evidence) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(plainText(clip(signature + " on " + target, MAX_TEXT)))));
        blocks.add(section(s -> s.fields(List.of(
                markdownText("*Confidence*\n" + String.format(Locale.ROOT, "%.2f", confidence)),
                markdownText("*Playbook*\n" + escape(playbook)),
                plainText(clip("Parameters: " + (parameters.isEmpty() ? "none" : parameters.toString()), 1900))))));
        blocks.add(section(s -> s.text(plainText(clip("Why: " + String.join("; ", reasons), MAX_TEXT)))));
        StringBuilder ev = new StringBuilder("Evidence:");
        evidence.forEach((k, v) -> ev.append("\n- ").append(k).append(": ").append(v));
        blocks.add(section(s -> s.text(plainText(clip(ev.toString(), MAX_TEXT)))));
        blocks.add(divider());
        return blocks;
    }

    static String status(ApprovalRequest r) {
        String votes = r.approvals().isEmpty() ? "" : "; approved by " + String.join(", ",
                r.approvals().stream().map(Vote::who).toList());
        return switch (r.state()) {
            case PENDING -> "Waiting for " + r.requiredApprovals() + " approver(s) until " + r.expiresAt() + votes;
            case APPROVED -> "Approved" + votes + (r.execution() == null ? ""
                    : "; " + r.execution().status().wireName() + (r.execution().detail().isEmpty() ? "" : ": " + r.execution().detail()));
            case DENIED -> "Denied by " + r.resolution().who() + " via " + r.resolution().channel().wireName() + ": " + r.resolution().reason();
            case EXPIRED -> "Expired at " + r.expiresAt() + " without enough approvals: denied";
            case CANCELLED -> "Cancelled: " + r.resolution().reason();
        };
    }

    /** A playbook's notify step: its text as plain text, so nothing in it can mention or link. */
    static List<LayoutBlock> message(String text) {
        return List.of(section(sec -> sec.text(plainText(clip(text, 2900)))));
    }

    static String fallback(String text) {
        return escape(clip(text, 2900));
    }

    /** Slack's three control characters, escaped as its documentation asks. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
