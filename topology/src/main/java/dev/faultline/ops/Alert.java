package dev.faultline.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One alert notification as read from the {@code faultline.alerts} topic (schema
 * {@code faultline.alert/v1}, Alertmanager-shaped), already made safe for delivery: label names
 * are valid Prometheus label names, label and annotation values have their control characters
 * escaped and are length-capped ({@link SafeText}).
 *
 * @param labels       identity of the alert (sorted); Alertmanager deduplicates on them
 * @param annotations  descriptive text (sorted)
 * @param startsAt     when the alert started firing
 * @param endsAt       when it ended ({@code resolved}), or {@code null} while firing
 * @param fingerprint  Faultline's stable id of the alert series (may be empty)
 * @param status       {@code firing} or {@code resolved}
 * @param generatorUrl a link back to Faultline, or {@code null}
 * @param payload      the original JSON object (for {@link WebhookSink}), or {@code null}
 */
public record Alert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt,
        String fingerprint, String status, String generatorUrl, ObjectNode payload) {

    public static final String SCHEMA = "faultline.alert/v1";
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";
    /**
     * Header of an alert record: the wall-clock time (epoch ms, decimal) it was emitted at. The record's own
     * timestamp is the log's event time, which may run far behind (a slow shipper, a backlog), so how stale an
     * alert is must be judged on this instead.
     */
    public static final String EMITTED_AT_HEADER = "faultline.alert.emitted-at";
    /**
     * Header of an alert record sent for an occurrence: the Kafka timestamp (epoch ms, decimal) of the log record
     * that carried it, i.e. when that log reached Kafka. An alert emitted long after its log arrived is history
     * (a catch-up); a log whose own clock is wrong but arrived just now is not.
     */
    public static final String INGESTED_AT_HEADER = "faultline.alert.ingested-at";

    /** An epoch-millis header value, as decimal ASCII (readable by any consumer). */
    public static byte[] millisHeader(long epochMillis) {
        return Long.toString(epochMillis).getBytes(StandardCharsets.US_ASCII);
    }

    /** The last {@code name} header's epoch millis, or -1 when absent or not a number. */
    public static long millisHeader(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        if (h == null || h.value() == null) {
            return -1;
        }
        try {
            return Long.parseLong(new String(h.value(), StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final int MAX_LABELS = 64;
    private static final int MAX_ANNOTATIONS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    public Alert {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
        Objects.requireNonNull(startsAt, "startsAt");
        fingerprint = fingerprint == null ? "" : fingerprint;
        Objects.requireNonNull(status, "status");
        if (!FIRING.equals(status) && !RESOLVED.equals(status)) {
            throw new IllegalArgumentException("status must be firing or resolved");
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("an alert needs at least one label");
        }
    }

    /** A firing or resolved alert built in code (tests, probes); names and values are made safe. */
    public static Alert of(Map<String, String> labels, Map<String, String> annotations, Instant startsAt,
            Instant endsAt, String status) {
        return new Alert(safeLabels(labels), safeAnnotations(annotations), startsAt, endsAt, "", status, null, null);
    }

    public boolean firing() {
        return FIRING.equals(status);
    }

    /** This alert marked resolved at {@code endsAt}. */
    public Alert resolvedAt(Instant endsAt) {
        return new Alert(labels, annotations, startsAt, Objects.requireNonNull(endsAt, "endsAt"), fingerprint,
                RESOLVED, generatorUrl, payload);
    }

    /**
     * Reads one {@code faultline.alert/v1} JSON object. Lenient about extra fields and about
     * non-string annotation values (rendered as compact JSON); strict about what Alertmanager
     * needs: labels, a parseable {@code startsAt}, a known status.
     *
     * @throws IllegalArgumentException when the bytes are not such an alert
     */
    public static Alert fromJson(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getClass().getSimpleName());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String schema = root.path("schema").asText("");
        if (!schema.isEmpty() && !SCHEMA.equals(schema)) {
            throw new IllegalArgumentException("unsupported schema");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        copyStrings(root.path("labels"), labels, MAX_LABELS);
        Map<String, String> annotations = new LinkedHashMap<>();
        copyStrings(root.path("annotations"), annotations, MAX_ANNOTATIONS);
        Instant startsAt = instant(root.path("startsAt"));
        if (startsAt == null) {
            throw new IllegalArgumentException("missing or invalid startsAt");
        }
        Instant endsAt = instant(root.path("endsAt"));
        String status = root.path("status").asText("");
        if (status.isEmpty()) {
            status = endsAt == null ? FIRING : RESOLVED;
        }
        if (RESOLVED.equals(status) && endsAt == null) {
            throw new IllegalArgumentException("resolved alert without endsAt");
        }
        if (FIRING.equals(status)) {
            endsAt = null; // Faultline's firing alerts carry no end; the sink decides how long they stay valid
        }
        String generator = root.path("generatorURL").asText(null);
        return new Alert(safeLabels(labels), safeAnnotations(annotations), startsAt, endsAt,
                SafeText.escape(root.path("fingerprint").asText(""), SafeText.LABEL_MAX_CHARS), status,
                generator == null ? null : SafeText.escape(generator, SafeText.DEFAULT_MAX_CHARS),
                (ObjectNode) root);
    }

    private static void copyStrings(JsonNode node, Map<String, String> into, int max) {
        if (!node.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (into.size() >= max) {
                break;
            }
            JsonNode v = e.getValue();
            if (v.isNull() || v.isMissingNode()) {
                continue;
            }
            into.put(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
        }
    }

    private static Instant instant(JsonNode node) {
        if (node.isNumber()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        if (!node.isTextual() || node.asText().isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Label names made valid for Prometheus/Alertmanager, values escaped and capped; empty values dropped. */
    static Map<String, String> safeLabels(Map<String, String> raw) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String value = SafeText.escape(e.getValue(), SafeText.LABEL_MAX_CHARS);
            if (!value.isEmpty()) {
                out.put(labelName(e.getKey()), value);
            }
        }
        return out;
    }

    static Map<String, String> safeAnnotations(Map<String, String> raw) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            out.put(labelName(e.getKey()), SafeText.escape(e.getValue(), SafeText.DEFAULT_MAX_CHARS));
        }
        return out;
    }

    /** {@code error.class} → {@code error_class}; a leading digit gets a {@code _} prefix. */
    static String labelName(String name) {
        if (name != null && LABEL_NAME.matcher(name).matches()) {
            return name;
        }
        StringBuilder sb = new StringBuilder();
        String n = name == null ? "" : name;
        for (int i = 0; i < n.length() && sb.length() < 128; i++) {
            char c = n.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
            sb.append(ok ? c : '_');
        }
        if (sb.length() == 0 || Character.isDigit(sb.charAt(0))) {
            sb.insert(0, '_');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Alert[" + status + " " + labels + " startsAt=" + startsAt + (endsAt == null ? "" : " endsAt=" + endsAt)
                + "]";
    }
}
