package dev.vigil.signature;

import dev.vigil.content.Durations;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.content.ContentError;
import dev.vigil.content.ContentException;
import dev.vigil.content.ContentFile;
import dev.vigil.content.ContentSource;
import dev.vigil.content.SchemaValidator;
import dev.vigil.content.YamlDocument;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The loaded signatures, by id. Immutable and thread-safe. */
public final class SignatureCatalog {
    private static final SchemaValidator SCHEMA = SchemaValidator.fromClasspath("/dev/vigil/signature/signature.schema.json");

    private final Map<String, Signature> byId;

    private SignatureCatalog(Map<String, Signature> byId) {
        this.byId = Collections.unmodifiableMap(new TreeMap<>(byId));
    }

    /** Where signatures in shadow live: evaluated on live facts, decisions recorded, never acted on. */
    public static final String SHADOW_FOLDER = "signatures/shadow";

    /** Loads every {@code signatures/*.yaml}; reports every error of every file together. */
    public static SignatureCatalog load(ContentSource source) throws ContentException {
        return parse(source.files("signatures", ".yaml"));
    }

    /**
     * Loads every {@code signatures/shadow/*.yaml}: new signatures, or new versions of live ones (same id), that a
     * governor wants to watch on live facts before promoting them. Empty when the folder does not exist.
     */
    public static SignatureCatalog loadShadow(ContentSource source) throws ContentException {
        return parse(source.files(SHADOW_FOLDER, ".yaml"));
    }

    public static SignatureCatalog parse(List<ContentFile> files) throws ContentException {
        List<ContentError> errors = new ArrayList<>();
        Map<String, Signature> byId = new LinkedHashMap<>();
        for (ContentFile f : files) {
            try {
                Signature s = parseOne(f);
                Signature previous = byId.putIfAbsent(s.id(), s);
                if (previous != null) {
                    errors.add(new ContentError(f.path(), 1, "id", "duplicate signature id " + s.id() + ", also in " + previous.file()));
                }
            } catch (ContentException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new ContentException(errors);
        }
        return new SignatureCatalog(byId);
    }

    static Signature parseOne(ContentFile f) throws ContentException {
        YamlDocument doc = YamlDocument.parse(f);
        List<ContentError> errors = new ArrayList<>(SCHEMA.validate(doc));
        if (!errors.isEmpty()) {
            throw new ContentException(errors);
        }
        JsonNode root = doc.root();
        String id = root.get("id").asText();
        String expected = f.name().replaceFirst("\\.yaml$", "");
        if (!id.equals(expected)) {
            errors.add(doc.error("/id", "must equal the file name " + expected + ", was " + id));
        }
        long settle = 0;
        if (root.has("settle")) {
            settle = Durations.parse(root.get("settle").asText()).toSeconds();
        }
        Map<String, EvidenceSpec> evidence = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("evidence").properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode n = e.getValue();
            List<String> anomalyOf = new ArrayList<>();
            n.path("anomaly_of").forEach(m -> anomalyOf.add(m.asText()));
            if (!anomalyOf.isEmpty() && n.path("exact").asBoolean(false)) {
                errors.add(doc.error("/evidence/" + e.getKey() + "/exact",
                        "an anomaly score is never an exact measurement: anomaly evidence cannot be exact"));
            }
            evidence.put(e.getKey(), new EvidenceSpec(e.getKey(), n.get("source").asText(), n.get("weight").asDouble(),
                    n.path("exact").asBoolean(false), n.get("description").asText(), doc.lineOf("/evidence/" + e.getKey()),
                    anomalyOf));
        }
        List<String> playbooks = new ArrayList<>();
        root.get("playbooks").forEach(p -> playbooks.add(p.asText()));
        Map<String, ContraindicationSpec> contra = new LinkedHashMap<>();
        if (root.has("contraindications")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.get("contraindications").properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode n = e.getValue();
                List<String> applies = new ArrayList<>();
                n.path("playbooks").forEach(p -> applies.add(p.asText()));
                for (int i = 0; i < applies.size(); i++) {
                    if (!playbooks.contains(applies.get(i))) {
                        errors.add(doc.error("/contraindications/" + e.getKey() + "/playbooks/" + i,
                                "names playbook " + applies.get(i) + ", which is not one of this signature's playbooks " + playbooks));
                    }
                }
                contra.put(e.getKey(), new ContraindicationSpec(e.getKey(), Effect.parse(n.get("effect").asText()), applies,
                        n.get("description").asText(), doc.lineOf("/contraindications/" + e.getKey())));
            }
        }
        List<String> requires = new ArrayList<>();
        JsonNode req = root.path("requires");
        for (int i = 0; i < req.size(); i++) {
            String key = req.get(i).asText();
            if (!evidence.containsKey(key)) {
                errors.add(doc.error("/requires/" + i, "names " + key + ", which is not an evidence key of this signature " + evidence.keySet()));
            }
            if (evidence.containsKey(key) && evidence.get(key).anomaly()) {
                errors.add(doc.error("/requires/" + i, "names " + key + ", an anomaly evidence: an anomaly only supports a "
                        + "diagnosis, it never makes one"));
            }
            requires.add(key);
        }
        List<String> anomalyKeys = evidence.values().stream().filter(EvidenceSpec::anomaly).map(EvidenceSpec::key).toList();
        if (requires.isEmpty() && !anomalyKeys.isEmpty()) {
            errors.add(doc.error("/evidence/" + anomalyKeys.get(0), "is an anomaly evidence, but requires is empty, so "
                    + "the anomaly alone would make a diagnosis: list the evidence that must hold in requires"));
        }
        List<String> target = new ArrayList<>();
        root.get("target").forEach(t -> target.add(t.asText()));
        List<String> refs = new ArrayList<>();
        root.path("references").forEach(r -> refs.add(r.asText()));
        if (!errors.isEmpty()) {
            throw new ContentException(errors);
        }
        return new Signature(id, root.get("title").asText(), root.get("severity").asText(), root.get("description").asText(),
                root.path("predictive").asBoolean(false), root.get("prior").asDouble(), target, requires, settle, evidence,
                playbooks, contra, refs, f.path(), f.sha256(),
                java.util.stream.IntStream.range(0, playbooks.size()).mapToObj(i -> doc.lineOf("/playbooks/" + i)).toList());
    }

    public Optional<Signature> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Collection<Signature> all() {
        return byId.values();
    }

    public int size() {
        return byId.size();
    }
}
