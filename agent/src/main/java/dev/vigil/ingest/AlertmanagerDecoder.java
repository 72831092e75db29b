package dev.vigil.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.fact.Alert;
import dev.vigil.fact.Labels;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decodes Alertmanager's webhook payload, version 4, into {@link Alert} facts. An alert that is malformed or over the
 * label limits is refused alone (its labels and annotations are both held to them); one already taken in is refused as
 * {@code duplicate} (see {@link AlertDeduplicator}). Stateless and thread-safe.
 *
 * <p>Only {@code alerts[]} is read: each alert carries all of its labels, so the group's common labels add nothing.
 */
public final class AlertmanagerDecoder {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AlertmanagerDecoder() {
    }

    /**
     * Decodes one webhook request.
     *
     * @throws PayloadTooLargeException when the body or the number of alerts is over the limits
     * @throws BadPayloadException      when the body is not JSON, not version 4, or has no {@code alerts} array
     */
    public static Decoded decode(byte[] json, IngestLimits limits, long receivedMillis, AlertDeduplicator dedup)
            throws BadPayloadException {
        if (json.length > limits.maxBodyBytes()) {
            throw new PayloadTooLargeException("alertmanager: body of " + json.length + " bytes is over "
                    + limits.maxBodyBytes());
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BadPayloadException("alertmanager: invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BadPayloadException("alertmanager: unreadable body: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new BadPayloadException("alertmanager: the payload is not a JSON object");
        }
        JsonNode version = root.path("version");
        if (!version.isTextual() || !version.asText().equals("4")) {
            throw new BadPayloadException("alertmanager: webhook version must be \"4\", was " + version);
        }
        JsonNode alerts = root.path("alerts");
        if (!alerts.isArray()) {
            throw new BadPayloadException("alertmanager: \"alerts\" must be an array");
        }
        if (alerts.size() > limits.maxItemsPerRequest()) {
            throw new PayloadTooLargeException("alertmanager: " + alerts.size() + " alerts, more than "
                    + limits.maxItemsPerRequest());
        }
        Decoded.Builder out = Decoded.builder();
        for (JsonNode alert : alerts) {
            decodeAlert(alert, limits, receivedMillis, dedup, out);
        }
        return out.build();
    }

    private static void decodeAlert(JsonNode alert, IngestLimits limits, long receivedMillis,
                                    AlertDeduplicator dedup, Decoded.Builder out) {
        String status = alert.path("status").asText("");
        Map<String, String> labels = strings(alert.path("labels"));
        Map<String, String> annotations = alert.path("annotations").isMissingNode()
                ? Map.of() : strings(alert.path("annotations"));
        Long startsAt = time(alert.path("startsAt"));
        if (!status.equals("firing") && !status.equals("resolved") || labels == null || annotations == null
                || startsAt == null) {
            out.reject("invalid_alert");
            return;
        }
        String refused = LabelCheck.violation(labels, limits);
        if (refused == null) {
            refused = LabelCheck.violation(annotations, limits);
        }
        if (refused != null) {
            out.reject(refused);
            return;
        }
        Labels labelSet = Labels.of(labels);
        if (!dedup.firstSeen(labelSet, status, startsAt)) {
            out.reject("duplicate");
            return;
        }
        out.add(new Alert(status, labelSet, annotations, startsAt, receivedMillis));
    }

    /** A JSON object of strings, or null when it is anything else. */
    private static Map<String, String> strings(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                return null;
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** An RFC 3339 time (Go's encoding of time.Time) in epoch milliseconds, or null. */
    private static Long time(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }
}
