package dev.faultline.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Writes {@code faultline.aggregate/v1}: one final count of one series in one window. */
final class AggregateJson {
    static final String SCHEMA = "faultline.aggregate/v1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AggregateJson() {
    }

    /** The output key: the series and its window, so each final result is addressable (and compactable). */
    static String key(WindowAggregate a, String size, long windowStart) {
        String series = switch (a.kind) {
            case Occurrence.CODE -> a.svc + "|" + a.catalog + "|" + a.code;
            case Occurrence.CLASS -> a.svc + "|" + a.cls;
            default -> a.svc;
        };
        return a.kind + "|" + series + "|" + size + "|" + Instant.ofEpochMilli(windowStart);
    }

    static byte[] toBytes(WindowAggregate a, String size, long sizeMs, long windowStart, long windowEnd,
            int maxSampleChars) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("kind", a.kind);
        root.put("service", Text.safe(a.svc, 256)); // log text: escaped like everywhere else it leaves
        if (Occurrence.CODE.equals(a.kind)) {
            root.put("catalog", a.catalog);
            root.put("code", a.code);
        }
        if (!Occurrence.TOTAL.equals(a.kind)) {
            root.put("class", a.cls);
        }
        ObjectNode window = root.putObject("window");
        window.put("start", Instant.ofEpochMilli(windowStart).toString());
        window.put("end", Instant.ofEpochMilli(windowEnd).toString());
        window.put("size", size);
        window.put("size_ms", sizeMs);
        root.put("count", a.count);
        if (!Occurrence.TOTAL.equals(a.kind)) {
            root.put("transient_count", a.transientCount);
        }
        root.put("first_seen", Instant.ofEpochMilli(a.firstSeen).toString());
        root.put("last_seen", Instant.ofEpochMilli(a.lastSeen).toString());
        ArrayNode hosts = root.putArray("distinct_hosts");
        a.hosts.forEach(h -> hosts.add(Text.safe(h, 256)));
        root.put("distinct_hosts_truncated", a.hostsTruncated);
        if (a.sample == null) {
            root.putNull("sample_message");
        } else {
            root.put("sample_message", Text.safe(a.sample, maxSampleChars));
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
