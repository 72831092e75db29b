package dev.vigil.playbook;

import dev.vigil.content.Durations;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import dev.vigil.content.ContentSource;
import dev.vigil.content.SchemaValidator;
import dev.vigil.content.YamlDocument;
import dev.vigil.decision.Risk;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads playbook files: schema validation, then the checks a schema cannot express (templates name declared
 * parameters, scripts exist, the id is the file name, …), then the records. Every error of a file is collected.
 * Stateless and thread-safe.
 */
final class PlaybookLoader {
    static final String SCHEMA = "/dev/vigil/playbook/playbook.schema.json";
    static final String FOLDER = "playbooks";
    static final String SCRIPTS = "playbooks/scripts/";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REQUIRED = Pattern.compile("^required property '(.+)' not found$");
    private static final Pattern ADDITIONAL =
            Pattern.compile("^property '(.+)' is not defined in the schema and the schema does not allow additional properties$");
    private static final Pattern ENUM = Pattern.compile("^does not have a value in the enumeration \\[(.*)]$");
    private static final Pattern TYPE = Pattern.compile("^(\\w+) found, (.+) expected$");
    private static final Pattern REGEX = Pattern.compile("^does not match the regex pattern (.*)$");
    private static final Pattern NAME = Pattern.compile("^property '(.+)' name is not valid: (?:does not match the regex pattern )?(.*)$");
    private static final Pattern BOUND = Pattern.compile("^must have a (minimum|maximum) value of (.+)$");
    private static final Pattern STEP_FIELD = Pattern.compile("^/(steps|rollback)/(\\d+)/(.+)$");
    private static final Pattern MATCH_FIELD =
            Pattern.compile("^/(preconditions|verification/all)/\\d+/(match|divide_by/match)/[^/]+$");
    private static final Pattern BODY_FIELD = Pattern.compile("^(body|revert/body)(/.*)?$");
    private static final Set<String> WORKLOAD_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet");

    private PlaybookLoader() {
    }

    private static final class Holder {
        static final SchemaValidator VALIDATOR = SchemaValidator.fromClasspath(SCHEMA);
    }

    /** Every playbook of the source; throws with every error of every file when any file is wrong. */
    static List<Playbook> loadAll(ContentSource source) throws ContentException {
        List<ContentError> errors = new ArrayList<>();
        List<Playbook> out = new ArrayList<>();
        for (ContentFile f : source.files(FOLDER, ".yml")) {
            errors.add(new ContentError(f.path(), 0, "", "playbook files must end in .yaml"));
        }
        for (ContentFile f : source.files(FOLDER, ".yaml")) {
            List<ContentError> fileErrors = new ArrayList<>();
            Playbook p = load(f, source, fileErrors);
            errors.addAll(fileErrors);
            if (p != null) {
                out.add(p);
            }
        }
        if (!errors.isEmpty()) {
            throw new ContentException(errors);
        }
        return out;
    }

    /** One playbook, or null with its errors added to {@code errors}. */
    static Playbook load(ContentFile file, ContentSource source, List<ContentError> errors) {
        YamlDocument doc;
        try {
            doc = YamlDocument.parse(file);
        } catch (ContentException e) {
            errors.addAll(e.errors());
            return null;
        }
        List<ContentError> found = new ArrayList<>();
        for (ContentError e : Holder.VALIDATOR.validate(doc)) {
            found.add(rewrite(doc, e));
        }
        String expectedId = file.name().endsWith(".yaml")
                ? file.name().substring(0, file.name().length() - ".yaml".length()) : file.name();
        new Checker(doc, source, expectedId, found).run();
        List<ContentError> unique = new ArrayList<>(new LinkedHashSet<>(found));
        unique.sort(Comparator.comparingInt(ContentError::line).thenComparing(ContentError::field)
                .thenComparing(ContentError::message));
        if (!unique.isEmpty()) {
            errors.addAll(unique);
            return null;
        }
        return build(doc.root(), file);
    }

    // ---------------------------------------------------------------- schema messages, in the words governors read

    static ContentError rewrite(YamlDocument doc, ContentError e) {
        String msg = e.message();
        String pointer = pointerOf(e.field());
        Matcher m;
        if ((m = REQUIRED.matcher(msg)).matches()) {
            return new ContentError(e.file(), e.line(), join(e.field(), m.group(1)), "is required");
        }
        if ((m = ADDITIONAL.matcher(msg)).matches()) {
            return doc.error(pointer + "/" + escape(m.group(1)), "is not allowed here");
        }
        if ((m = NAME.matcher(msg)).matches()) {
            return doc.error(pointer + "/" + escape(m.group(1)), "is not a valid name (must match " + m.group(2) + ")");
        }
        if ((m = ENUM.matcher(msg)).matches()) {
            String allowed = m.group(1).replace("\"", "").replace(",", ", ").replaceAll(" +", " ");
            return new ContentError(e.file(), e.line(), e.field(),
                    "must be one of " + allowed + ", was " + shown(doc.root().at(pointer)));
        }
        if ((m = TYPE.matcher(msg)).matches()) {
            List<String> expected = new ArrayList<>();
            for (String t : m.group(2).replace("[", "").replace("]", "").split(", *")) {
                expected.add(article(t));
            }
            return new ContentError(e.file(), e.line(), e.field(),
                    "must be " + String.join(" or ", expected) + ", was " + article(m.group(1)));
        }
        if ((m = BOUND.matcher(msg)).matches()) {
            return new ContentError(e.file(), e.line(), e.field(), "must be " + (m.group(1).equals("minimum")
                    ? "at least " : "at most ") + m.group(2) + ", was " + shown(doc.root().at(pointer)));
        }
        if ((m = REGEX.matcher(msg)).matches()) {
            if (m.group(1).equals(Durations.FORM.pattern())) {
                return new ContentError(e.file(), e.line(), e.field(),
                        "must be a duration like 90s, 5m, 1h or 7d, was " + shown(doc.root().at(pointer)));
            }
            return new ContentError(e.file(), e.line(), e.field(),
                    shown(doc.root().at(pointer)) + " does not match " + m.group(1));
        }
        return e;
    }

    private static String article(String type) {
        String t = type.strip();
        return (t.startsWith("a") || t.startsWith("i") || t.startsWith("o") ? "an " : "a ") + t;
    }

    private static String shown(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return node.isTextual() ? Quote.quote(node.asText()) : node.toString();
    }

    /** {@code steps[0].executor} back to {@code /steps/0/executor}. */
    static String pointerOf(String field) {
        if (field == null || field.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String part : field.split("\\.")) {
            int b = part.indexOf('[');
            String name = b < 0 ? part : part.substring(0, b);
            if (!name.isEmpty()) {
                sb.append('/').append(escape(name));
            }
            Matcher idx = Pattern.compile("\\[(\\d+)]").matcher(b < 0 ? "" : part.substring(b));
            while (idx.find()) {
                sb.append('/').append(idx.group(1));
            }
        }
        return sb.toString();
    }

    private static String join(String field, String name) {
        return field == null || field.isEmpty() ? name : field + "." + name;
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    // ---------------------------------------------------------------- checks beyond the schema

    /** The loader's view of one declared parameter, enough to check templates and defaults. */
    private record Declared(String name, String type, JsonNode node) {
    }

    /** The checks of one document; adds to {@code errors}, never throws on a malformed tree. */
    private static final class Checker {
        private final YamlDocument doc;
        private final JsonNode root;
        private final ContentSource source;
        private final String expectedId;
        private final List<ContentError> errors;
        private final Map<String, Declared> declared = new LinkedHashMap<>();

        Checker(YamlDocument doc, ContentSource source, String expectedId, List<ContentError> errors) {
            this.doc = doc;
            this.root = doc.root();
            this.source = source;
            this.expectedId = expectedId;
            this.errors = errors;
        }

        void run() {
            JsonNode id = root.path("id");
            if (id.isTextual() && !id.asText().equals(expectedId)) {
                error("/id", "must be the file name without .yaml (" + Quote.quote(expectedId) + "), was "
                        + Quote.quote(id.asText()));
            }
            checkParameters();
            walk(root, "");
            Map<String, String> stepNames = new HashMap<>();
            checkSteps("steps", stepNames);
            checkSteps("rollback", stepNames);
            checkConditions("/preconditions", root.path("preconditions"));
            checkConditions("/verification/all", root.path("verification").path("all"));
            if ("none".equals(root.path("risk").asText(null)) && root.has("verification")) {
                error("/verification", "a playbook of risk none changes nothing and has nothing to verify");
            }
        }

        private void error(String pointer, String message) {
            errors.add(doc.error(pointer, message));
        }

        private String declaredList() {
            return declared.isEmpty() ? "none declared" : "declared: " + String.join(", ", declared.keySet());
        }

        // --- parameters

        private void checkParameters() {
            JsonNode params = root.path("parameters");
            if (!params.isObject()) {
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = params.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode p = e.getValue();
                String type = p.path("type").asText("");
                declared.put(e.getKey(), new Declared(e.getKey(), type, p));
                String at = "/parameters/" + escape(e.getKey());
                if (!p.isObject()) {
                    continue;
                }
                boolean patternOk = true;
                if (p.path("pattern").isTextual()) {
                    try {
                        Pattern.compile(p.path("pattern").asText());
                    } catch (PatternSyntaxException x) {
                        patternOk = false;
                        error(at + "/pattern", "is not a valid regular expression: " + x.getDescription());
                    }
                }
                if (p.path("minimum").isNumber() && p.path("maximum").isNumber()
                        && decimal(p.path("minimum")).compareTo(decimal(p.path("maximum"))) > 0) {
                    error(at + "/minimum", "is above the maximum " + p.path("maximum").asText());
                }
                JsonNode roots = p.path("roots");
                for (int i = 0; i < roots.size(); i++) {
                    String r = roots.get(i).asText("");
                    if (r.startsWith("/") && (!r.equals("/") && (r.endsWith("/") || r.contains("//")
                            || r.contains("/./") || r.contains("/../") || r.endsWith("/.") || r.endsWith("/..")))) {
                        error(at + "/roots/" + i, Quote.quote(r) + " is not a normalised absolute path");
                    }
                }
                if (!p.has("from") && !p.has("default")) {
                    error(at, "has neither from nor default, so it can never have a value");
                }
                JsonNode def = p.path("default");
                ParameterType t = ParameterType.parse(type);
                if (def.isValueNode() && !def.isNull() && t != null && patternOk
                        && !Templates.looksTemplated(def.asText())) {
                    try {
                        ParameterSpec spec = spec(e.getKey(), p);
                        spec.problemWith(def.asText()).ifPresent(problem ->
                                error(at + "/default", Quote.quote(def.asText()) + " " + problem));
                    } catch (RuntimeException ignored) {
                        // a spec the schema rejects: its errors are already reported
                    }
                }
            }
        }

        // --- templates everywhere

        private void walk(JsonNode node, String pointer) {
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    walk(e.getValue(), pointer + "/" + escape(e.getKey()));
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    walk(node.get(i), pointer + "/" + i);
                }
            } else if (node.isTextual() && Templates.looksTemplated(node.asText())) {
                template(pointer, node.asText());
            }
        }

        private void template(String pointer, String text) {
            Matcher step = STEP_FIELD.matcher(pointer);
            String where = step.matches() ? step.group(3) : "";
            boolean allowed;
            boolean whole = false;
            if (step.matches()) {
                if (where.equals("statement")) {
                    error(pointer, "may not contain {{…}}: pass values as bind parameters (:name)");
                    return;
                }
                whole = where.matches("args/\\d+|host|object/kind|scale/max_replicas|patch/max");
                allowed = whole || where.equals("url") || where.equals("connection") || where.equals("message")
                        || where.matches("object/namespace|object/name|container")
                        || BODY_FIELD.matcher(where).matches();
            } else if (pointer.matches("^/parameters/[^/]+/default$")) {
                error(pointer, "a default may not contain a template");
                return;
            } else {
                allowed = MATCH_FIELD.matcher(pointer).matches();
            }
            if (!allowed) {
                error(pointer, "templates are not allowed here");
                return;
            }
            if (Templates.malformed(text)) {
                error(pointer, "has a malformed template " + Quote.quote(text) + " (write {{parameter}})");
                return;
            }
            if (whole && Templates.whole(text).isEmpty()) {
                error(pointer, where.startsWith("args/")
                        ? "an argument with a template must be exactly one {{parameter}}, so a value is always one whole argument"
                        : "must be a literal or exactly one {{parameter}}");
                return;
            }
            for (String name : Templates.names(text)) {
                if (!declared.containsKey(name)) {
                    error(pointer, "unknown parameter {{" + name + "}} (" + declaredList() + ")");
                }
            }
        }

        /** The declared type of the parameter a whole-template field names, or "" when it is not one known template. */
        private String typeOfWhole(String text) {
            Optional<String> name = Templates.whole(text);
            if (name.isEmpty() || !declared.containsKey(name.get())) {
                return "";
            }
            return declared.get(name.get()).type();
        }

        // --- steps

        private void checkSteps(String list, Map<String, String> names) {
            JsonNode steps = root.path(list);
            boolean riskNone = "none".equals(root.path("risk").asText(null));
            for (int i = 0; i < steps.size(); i++) {
                JsonNode s = steps.get(i);
                String at = "/" + list + "/" + i;
                String field = list + "[" + i + "]";
                String name = s.path("name").asText(null);
                if (name != null) {
                    String before = names.putIfAbsent(name, field);
                    if (before != null) {
                        error(at + "/name", "duplicate step name " + Quote.quote(name) + " (also " + before + ")");
                    }
                }
                checkWhen(at, s.path("when"));
                String executor = s.path("executor").asText("");
                if (riskNone && !executor.equals("notify") && Executor.parse(executor) != null) {
                    error(at + "/executor", "a playbook of risk none may only notify");
                }
                switch (executor) {
                    case "exec" -> checkExec(at, s);
                    case "http" -> checkHttp(at, s);
                    case "sql" -> checkSql(at, s);
                    case "kubernetes" -> checkKubernetes(at, s);
                    default -> {
                        // notify has nothing beyond its templates; an unknown executor is a schema error
                    }
                }
            }
        }

        private void checkWhen(String at, JsonNode when) {
            if (!when.isObject() || !when.path("parameter").isTextual()) {
                return;
            }
            String p = when.path("parameter").asText();
            Declared d = declared.get(p);
            if (d == null) {
                error(at + "/when/parameter", "unknown parameter " + p + " (" + declaredList() + ")");
                return;
            }
            if (when.has("equals")) {
                if (!d.type().equals("enum")) {
                    error(at + "/when/equals", "needs an enum parameter, " + p + " is a " + d.type());
                } else {
                    List<String> values = texts(d.node().path("values"));
                    String v = when.path("equals").asText();
                    if (!values.contains(v)) {
                        error(at + "/when/equals", Quote.quote(v) + " is not one of " + values);
                    }
                }
            }
        }

        private void checkExec(String at, JsonNode s) {
            JsonNode script = s.path("script");
            if (script.isTextual() && script.asText().matches("^[a-z0-9][a-z0-9-]*$")
                    && !source.exists(SCRIPTS + script.asText())) {
                error(at + "/script", "no such script " + SCRIPTS + script.asText());
            }
            JsonNode host = s.path("host");
            if (host.isTextual()) {
                String t = typeOfWhole(host.asText());
                if (!t.isEmpty() && !t.equals("hostname")) {
                    error(at + "/host", "must name a hostname parameter, " + Templates.whole(host.asText()).orElse("")
                            + " is a " + t);
                }
            }
        }

        private void checkHttp(String at, JsonNode s) {
            JsonNode url = s.path("url");
            if (!url.isTextual()) {
                return;
            }
            UrlTemplate u;
            try {
                u = UrlTemplate.parse(url.asText());
            } catch (IllegalArgumentException e) {
                error(at + "/url", e.getMessage());
                return;
            }
            String hostType = typeOfWhole(u.host);
            if (!u.hostParameter().isEmpty() && !hostType.isEmpty() && !hostType.equals("hostname")) {
                error(at + "/url", "the host must name a hostname parameter, " + u.hostParameter() + " is a " + hostType);
            }
            if (!u.portParameter().isEmpty() && declared.containsKey(u.portParameter())) {
                JsonNode p = declared.get(u.portParameter()).node();
                boolean ok = "integer".equals(p.path("type").asText())
                        && p.path("minimum").isNumber() && p.path("minimum").asLong() >= 1
                        && p.path("maximum").isNumber() && p.path("maximum").asLong() <= 65535;
                if (!ok) {
                    error(at + "/url", "the port must name an integer parameter within 1 and 65535, "
                            + u.portParameter() + " is not one");
                }
            }
        }

        private void checkSql(String at, JsonNode s) {
            JsonNode statement = s.path("statement");
            if (!statement.isTextual() || Templates.looksTemplated(statement.asText())) {
                return;
            }
            SqlStatement scan = SqlStatement.scan(statement.asText());
            for (String problem : scan.problems()) {
                error(at + "/statement", problem);
            }
            List<String> bind = texts(s.path("bind"));
            for (int i = 0; i < bind.size(); i++) {
                String b = bind.get(i);
                if (!declared.containsKey(b)) {
                    error(at + "/bind/" + i, "unknown parameter " + b + " (" + declaredList() + ")");
                } else if (!scan.placeholders().contains(b)) {
                    error(at + "/bind/" + i, b + " is bound but the statement has no :" + b);
                }
            }
            for (String name : new LinkedHashSet<>(scan.placeholders())) {
                if (!bind.contains(name)) {
                    error(at + "/statement", "placeholder :" + name + " is not in bind");
                }
            }
        }

        private void checkKubernetes(String at, JsonNode s) {
            String action = s.path("action").asText("");
            JsonNode object = s.path("object");
            String kind = object.path("kind").asText("");
            boolean kindTemplate = Templates.whole(kind).isPresent();
            if (kindTemplate && declared.containsKey(Templates.whole(kind).get())) {
                Declared d = declared.get(Templates.whole(kind).get());
                List<String> values = texts(d.node().path("values"));
                if (!d.type().equals("enum") || values.isEmpty() || !WORKLOAD_KINDS.containsAll(values)) {
                    error(at + "/object/kind", "must name an enum parameter whose values are among "
                            + "Deployment, StatefulSet, DaemonSet");
                }
            }
            boolean node = kind.equals("Node");
            if (action.equals("cordon-drain") && !node) {
                error(at + "/object/kind", "cordon-drain acts on a Node, was " + Quote.quote(kind));
            }
            if (!action.equals("cordon-drain") && !action.isEmpty() && node) {
                error(at + "/object/kind", action + " acts on a workload, not a Node");
            }
            if (node && object.has("namespace")) {
                error(at + "/object/namespace", "a Node has no namespace");
            }
            if (!node && object.isObject() && !object.has("namespace")) {
                error(at + "/object/namespace", "is required for a " + (kind.isEmpty() ? "workload" : kind));
            }
            if (action.equals("scale") != s.has("scale")) {
                error(at + "/scale", s.has("scale") ? "is only for action scale" : "is required for action scale");
            }
            if (action.equals("patch-limits") != s.has("patch")) {
                error(at + "/patch", s.has("patch") ? "is only for action patch-limits"
                        : "is required for action patch-limits");
            }
            if (s.has("container") && !action.equals("patch-limits")) {
                error(at + "/container", "is only for action patch-limits");
            }
            JsonNode max = s.path("scale").path("max_replicas");
            if (max.isTextual()) {
                String t = typeOfWhole(max.asText());
                if (!t.isEmpty() && !t.equals("integer")) {
                    error(at + "/scale/max_replicas", "must name an integer parameter, "
                            + Templates.whole(max.asText()).orElse("") + " is a " + t);
                }
            }
            JsonNode limit = s.path("patch").path("max");
            if (limit.isTextual()) {
                String t = typeOfWhole(limit.asText());
                if (!t.isEmpty() && !t.equals("string") && !t.equals("enum")) {
                    error(at + "/patch/max", "must name a string parameter (a quantity), "
                            + Templates.whole(limit.asText()).orElse("") + " is a " + t);
                }
            }
        }

        // --- conditions

        private void checkConditions(String at, JsonNode list) {
            if (!list.isArray()) {
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode c = list.get(i);
                if (c.isObject() && !c.has("metric") && !c.has("evidence")) {
                    error(at + "/" + i, "needs either metric or evidence");
                }
            }
        }
    }

    // ---------------------------------------------------------------- records from a checked tree

    static ParameterSpec spec(String name, JsonNode p) {
        ParameterType type = ParameterType.parse(p.path("type").asText());
        if (type == null) {
            throw new IllegalArgumentException("unknown parameter type " + p.path("type"));
        }
        JsonNode from = p.path("from");
        List<String> sources = from.isTextual() ? List.of(from.asText()) : texts(from);
        JsonNode def = p.path("default");
        Optional<String> defaultValue = def.isValueNode() && !def.isNull() ? Optional.of(def.asText()) : Optional.empty();
        return new ParameterSpec(name, type, p.path("description").asText(""), sources, defaultValue,
                p.path("required").asBoolean(true),
                p.path("pattern").isTextual() ? Optional.of(p.path("pattern").asText()) : Optional.empty(),
                p.path("minimum").isNumber() ? Optional.of(decimal(p.path("minimum"))) : Optional.empty(),
                p.path("maximum").isNumber() ? Optional.of(decimal(p.path("maximum"))) : Optional.empty(),
                texts(p.path("values")), texts(p.path("roots")));
    }

    private static Playbook build(JsonNode root, ContentFile file) {
        Map<String, ParameterSpec> params = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("parameters").properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            params.put(e.getKey(), spec(e.getKey(), e.getValue()));
        }
        Risk risk = Risk.parse(root.path("risk").asText());
        JsonNode v = root.path("verification");
        Verification verification = v.isObject()
                ? new Verification(Durations.parse(v.path("within").asText()), conditions(v.path("all"))) : null;
        return new Playbook(root.path("id").asText(), root.path("title").asText(), root.path("description").asText(),
                risk, params, steps(root.path("steps")), verification, steps(root.path("rollback")),
                limits(root.path("limits")), file.path(), file.sha256(), conditions(root.path("preconditions")));
    }

    private static List<Step> steps(JsonNode list) {
        List<Step> out = new ArrayList<>();
        for (JsonNode s : list) {
            When when = When.ALWAYS;
            JsonNode w = s.path("when");
            if (w.isObject()) {
                when = new When(w.path("parameter").asText(),
                        w.has("equals") ? Optional.of(w.path("equals").asText()) : Optional.empty(),
                        w.has("present") ? Optional.of(w.path("present").asBoolean()) : Optional.empty());
            }
            out.add(new Step(s.path("name").asText(), Durations.parse(s.path("timeout").asText()), when, action(s)));
        }
        return out;
    }

    private static StepAction action(JsonNode s) {
        return switch (Executor.parse(s.path("executor").asText())) {
            case EXEC -> new StepAction.Exec(s.path("script").asText(), texts(s.path("args")),
                    s.has("host") ? Optional.of(s.path("host").asText()) : Optional.empty());
            case HTTP -> {
                Map<String, String> headers = new LinkedHashMap<>();
                s.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
                List<Integer> status = new ArrayList<>();
                s.path("expect_status").forEach(n -> status.add(n.asInt()));
                JsonNode revert = s.path("revert");
                yield new StepAction.Http(s.path("method").asText(), s.path("url").asText(), headers, json(s.path("body")),
                        status, s.path("tls").path("insecure_skip_verify").asBoolean(false),
                        revert.isObject()
                                ? Optional.of(new StepAction.Revert(Durations.parse(revert.path("after").asText()),
                                        json(revert.path("body"))))
                                : Optional.empty());
            }
            case SQL -> new StepAction.Sql(s.path("connection").asText(), s.path("statement").asText(),
                    texts(s.path("bind")));
            case KUBERNETES -> {
                JsonNode o = s.path("object");
                JsonNode sc = s.path("scale");
                JsonNode pa = s.path("patch");
                yield new StepAction.Kubernetes(StepAction.KubernetesVerb.parse(s.path("action").asText()),
                        new StepAction.KubernetesObject(o.path("kind").asText(), o.path("namespace").asText(""),
                                o.path("name").asText()),
                        s.has("container") ? Optional.of(s.path("container").asText()) : Optional.empty(),
                        sc.isObject() ? Optional.of(new StepAction.Scale(sc.path("delta").asInt(),
                                sc.path("max_replicas").asText())) : Optional.empty(),
                        pa.isObject() ? Optional.of(new StepAction.LimitPatch(pa.path("resource").asText(),
                                decimal(pa.path("factor")), pa.path("max").asText())) : Optional.empty());
            }
            case NOTIFY -> new StepAction.Notify(s.path("message").asText(), texts(s.path("channels")),
                    s.path("include_evidence").asBoolean(false));
        };
    }

    private static List<Condition> conditions(JsonNode list) {
        List<Condition> out = new ArrayList<>();
        for (JsonNode c : list) {
            if (c.has("metric")) {
                JsonNode d = c.path("divide_by");
                out.add(new Condition.OnMetric(series(c), d.isObject() ? Optional.of(series(d)) : Optional.empty(),
                        Condition.Comparison.parse(c.path("op").asText()), decimal(c.path("value"))));
            } else {
                out.add(new Condition.EvidenceAbsent(c.path("evidence").asText(), c.path("signature").asText(""),
                        strings(c.path("match")), Durations.parse(c.path("absent_for").asText())));
            }
        }
        return out;
    }

    private static Condition.Series series(JsonNode c) {
        Condition.Aggregation of = c.has("of") ? Condition.Aggregation.parse(c.path("of").asText())
                : Condition.Aggregation.VALUE;
        Optional<Duration> over = c.has("over") ? Optional.of(Durations.parse(c.path("over").asText())) : Optional.empty();
        return new Condition.Series(c.path("metric").asText(), strings(c.path("match")), of, over);
    }

    private static Limits limits(JsonNode l) {
        JsonNode b = l.path("blast_radius");
        Limits.BlastRadius radius = b.isObject()
                ? new Limits.BlastRadius(b.has("max_instances") ? OptionalInt.of(b.path("max_instances").asInt()) : OptionalInt.empty(),
                        b.has("max_percent") ? OptionalInt.of(b.path("max_percent").asInt()) : OptionalInt.empty())
                : Limits.BlastRadius.UNBOUNDED;
        return new Limits(Durations.parse(l.path("cooldown").asText()), l.path("max_runs_per_hour").asInt(),
                l.path("max_concurrent").asInt(), radius);
    }

    private static Optional<String> json(JsonNode body) {
        if (!body.isObject()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed YAML object always serialises to JSON", e);
        }
    }

    private static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        if (list.isArray()) {
            list.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static BigDecimal decimal(JsonNode n) {
        return new BigDecimal(n.asText());
    }
}
