package dev.faultline.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.config.Durations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Writes {@code faultline.alert/v1}: Alertmanager's alert shape plus Faultline's facts. */
final class AlertJson {
    static final String SCHEMA = "faultline.alert/v1";
    static final String ALERT_NAME = "FaultlineTransientErrorSpike";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_LABEL_CHARS = 256;
    private static final int MAX_ANNOTATION_CHARS = 2048;

    private AlertJson() {
    }

    /** A stable id of the series: Alertmanager-style, a hash of the identifying labels. */
    static String fingerprint(Occurrence o) {
        String identity = Occurrence.CODE.equals(o.kind)
                ? "code\u0000" + o.svc + "\u0000" + o.catalog + "\u0000" + o.code
                : "class\u0000" + o.svc + "\u0000" + o.cls;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the JDK", e);
        }
    }

    /**
     * @param status    {@code firing} or {@code resolved}
     * @param reminder  a repeat notification of an ongoing episode
     * @param entry     the catalog entry of a code series, or {@code null}
     * @param at        the notification's time (record or stream time)
     */
    static byte[] toBytes(String fingerprint, AlertState s, String status, boolean reminder, CatalogEntry entry,
            AlertPolicy p, long at) {
        boolean code = Occurrence.CODE.equals(s.kind);
        // The window the notice is about: the occurrence's own, which may be after the one being judged.
        long windowStart = s.windowOf(at, p);
        long count = s.countIn(windowStart);
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("status", status);
        root.put("reminder", reminder);
        root.put("fingerprint", fingerprint);

        ObjectNode labels = root.putObject("labels");
        labels.put("alertname", ALERT_NAME);
        labels.put("service", Text.safe(s.svc, MAX_LABEL_CHARS));
        if (code) {
            labels.put("catalog", s.catalog);
            labels.put("code", s.code);
        } else {
            labels.put("class", s.cls);
        }
        labels.put("severity", "warning");

        String subject = code ? s.code + " (" + s.catalog + ")" : "class " + s.cls;
        String title = entry == null ? null : entry.title();
        List<String> remediation = entry == null ? List.of() : entry.remediation();
        String recoveryTool = entry == null ? null : entry.recoveryTool();
        Long retryAfter = entry == null ? null : entry.retryAfterMs();
        ObjectNode ann = root.putObject("annotations");
        ann.put("summary", Text.safe(("resolved".equals(status) ? "Resolved: " : "")
                + "spike of " + s.tr + " errors " + subject + " in " + s.svc, MAX_ANNOTATION_CHARS));
        ann.put("description", Text.safe(count + " occurrences in the " + Durations.format(Duration.ofMillis(p.windowMs()))
                + " window from " + Instant.ofEpochMilli(windowStart) + " (baseline " + round(s.baseline)
                + ", score " + score(s.lastScore) + ")" + (title == null ? "" : ": " + title)
                + (retryAfter == null ? "" : "; retry after " + retryAfter + " ms"), MAX_ANNOTATION_CHARS));
        // One step per line: each step escaped on its own, so the line breaks between them stay real.
        ann.put("remediation", Text.truncate(String.join("\n",
                remediation.stream().map(Text::escapeControls).toList()), MAX_ANNOTATION_CHARS));
        if (recoveryTool != null) {
            ann.put("recovery_tool", Text.safe(recoveryTool, MAX_ANNOTATION_CHARS));
        }
        root.put("startsAt", Instant.ofEpochMilli(s.episodeStart).toString());
        if ("resolved".equals(status)) {
            root.put("endsAt", Instant.ofEpochMilli(s.normalSince >= 0 ? s.normalSince : at).toString());
        }
        root.put("notifiedAt", Instant.ofEpochMilli(at).toString());

        root.put("service", Text.safe(s.svc, MAX_LABEL_CHARS)); // from logs: escaped like the label
        root.put("catalog", s.catalog);
        root.put("code", s.code);
        root.put("title", title);
        root.put("class", s.cls);
        root.put("transience", s.tr);
        if (retryAfter == null) {
            root.putNull("retry_after_ms");
        } else {
            root.put("retry_after_ms", retryAfter);
        }
        ArrayNode rem = root.putArray("remediation");
        remediation.forEach(rem::add);
        root.put("recovery_tool", recoveryTool);
        root.put("count", count);
        root.put("baseline", round(s.baseline));
        if (Double.isInfinite(s.lastScore)) {
            root.putNull("score"); // no history: fired on the minimum count alone
        } else {
            root.put("score", round(s.lastScore));
        }
        ObjectNode window = root.putObject("window");
        window.put("start", Instant.ofEpochMilli(windowStart).toString());
        window.put("end", Instant.ofEpochMilli(windowStart + p.windowMs()).toString());
        window.put("size", Durations.format(Duration.ofMillis(p.windowMs())));
        ArrayNode hosts = root.putArray("top_hosts");
        s.hosts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(p.maxHosts())
                .forEach(e -> hosts.addObject().put("host", Text.safe(e.getKey(), MAX_LABEL_CHARS)).put("count", e.getValue()));
        ArrayNode samples = root.putArray("sample_messages");
        s.samples.stream().limit(p.maxSamples()).forEach(m -> samples.add(Text.safe(m, p.maxSampleChars())));
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String score(double score) {
        return Double.isInfinite(score) ? "n/a, no history" : Double.toString(round(score));
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
