package dev.vigil.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import dev.vigil.content.YamlDocument;
import dev.vigil.decision.GovernancePolicy;
import dev.vigil.fact.ProtectedPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The governors' policy file: confidence bands, medium-risk playbooks allowed to execute on their own, settle time,
 * approvers for high risk, and paths never cleaned up automatically. Every key is optional; what is left out keeps
 * its default. Every error is reported with its line and field before anything is used. Stateless.
 *
 * <pre>
 * bands: {strong: 0.90, medium: 0.60}
 * auto_execute: [restart-service]
 * settle: 2m
 * clear_after: 2m
 * high_risk_approvals: 2
 * protected_paths: [/var/lib/postgresql, /srv/data]
 * </pre>
 */
public final class PolicyFile {
    private static final Set<String> KEYS = Set.of("bands", "auto_execute", "settle", "clear_after", "high_risk_approvals", "protected_paths");
    private static final Pattern DURATION = Pattern.compile("^([0-9]{1,6})(s|m|h)$");

    /** The loaded policy. */
    public record Policy(GovernancePolicy governance, List<ProtectedPath> protectedPaths) {
    }

    private PolicyFile() {
    }

    /** The defaults of SIGNATURES.md and the built-in data directories. */
    public static Policy defaults() {
        return new Policy(GovernancePolicy.defaults(), PipelineOptions.defaultProtectedPaths());
    }

    public static Policy load(Path file) throws ContentException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ContentException(new ContentError(file.toString(), 0, "", "cannot read: " + e.getMessage()));
        }
        return parse(new ContentFile(file.toString(), text));
    }

    public static Policy parse(ContentFile file) throws ContentException {
        YamlDocument doc = YamlDocument.parse(file);
        JsonNode root = doc.root();
        List<ContentError> errors = new ArrayList<>();
        if (!root.isObject()) {
            throw new ContentException(doc.error("", "must be a mapping of policy settings"));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                errors.add(doc.error("/" + k, "unknown setting; known: " + new java.util.TreeSet<>(KEYS)));
            }
        }
        GovernancePolicy d = GovernancePolicy.defaults();
        double strong = d.strong();
        double medium = d.medium();
        JsonNode bands = root.path("bands");
        if (!bands.isMissingNode()) {
            if (!bands.isObject()) {
                errors.add(doc.error("/bands", "must be a mapping with strong and medium"));
            } else {
                for (Iterator<String> it = bands.fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    if (!k.equals("strong") && !k.equals("medium")) {
                        errors.add(doc.error("/bands/" + k, "unknown band; known: medium, strong"));
                    }
                }
                strong = probability(doc, bands, "strong", strong, errors);
                medium = probability(doc, bands, "medium", medium, errors);
                if (medium >= strong) {
                    errors.add(doc.error("/bands", "medium (" + medium + ") must be below strong (" + strong + ")"));
                }
            }
        }
        Set<String> auto = new HashSet<>();
        JsonNode autoNode = root.path("auto_execute");
        if (!autoNode.isMissingNode()) {
            if (!autoNode.isArray()) {
                errors.add(doc.error("/auto_execute", "must be a list of playbook ids"));
            } else {
                for (int i = 0; i < autoNode.size(); i++) {
                    if (!autoNode.get(i).isTextual()) {
                        errors.add(doc.error("/auto_execute/" + i, "must be a playbook id"));
                    } else {
                        auto.add(autoNode.get(i).asText());
                    }
                }
            }
        }
        long settle = duration(doc, root, "settle", d.settleSeconds(), errors);
        long clearAfter = duration(doc, root, "clear_after", d.clearAfterSeconds(), errors);
        int approvals = d.highRiskApprovals();
        JsonNode appr = root.path("high_risk_approvals");
        if (!appr.isMissingNode()) {
            if (!appr.canConvertToInt() || !appr.isIntegralNumber() || appr.asInt() < 1 || appr.asInt() > 10) {
                errors.add(doc.error("/high_risk_approvals", "must be a whole number from 1 to 10, was " + appr));
            } else {
                approvals = appr.asInt();
            }
        }
        List<ProtectedPath> paths = PipelineOptions.defaultProtectedPaths();
        JsonNode pp = root.path("protected_paths");
        if (!pp.isMissingNode()) {
            if (!pp.isArray()) {
                errors.add(doc.error("/protected_paths", "must be a list of absolute paths"));
            } else {
                List<ProtectedPath> configured = new ArrayList<>();
                for (int i = 0; i < pp.size(); i++) {
                    String p = pp.get(i).asText("");
                    if (!pp.get(i).isTextual() || !p.startsWith("/") || p.contains("..") || p.contains("\0")) {
                        errors.add(doc.error("/protected_paths/" + i, "must be an absolute path without '..', was " + pp.get(i)));
                    } else {
                        configured.add(new ProtectedPath(p, "protected path in the policy"));
                    }
                }
                paths = configured;
            }
        }
        if (!errors.isEmpty()) {
            errors.sort(java.util.Comparator.comparingInt(ContentError::line)); // stable: same-line errors keep their order
            throw new ContentException(errors);
        }
        return new Policy(new GovernancePolicy(strong, medium, auto, settle, approvals, clearAfter), paths);
    }

    private static long duration(YamlDocument doc, JsonNode root, String key, long fallback, List<ContentError> errors) {
        JsonNode n = root.path(key);
        if (n.isMissingNode()) {
            return fallback;
        }
        Matcher m = DURATION.matcher(n.asText());
        if (!n.isTextual() || !m.matches()) {
            errors.add(doc.error("/" + key, "must be a duration like 90s, 2m or 1h, was " + n));
            return fallback;
        }
        long v = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> v;
            case "m" -> v * 60;
            default -> v * 3600;
        };
    }

    private static double probability(YamlDocument doc, JsonNode bands, String key, double fallback, List<ContentError> errors) {
        JsonNode n = bands.path(key);
        if (n.isMissingNode()) {
            return fallback;
        }
        if (!n.isNumber() || n.asDouble() <= 0 || n.asDouble() >= 1) {
            errors.add(doc.error("/bands/" + key, "must be a number between 0 and 1 (exclusive), was " + n));
            return fallback;
        }
        return n.asDouble();
    }
}
