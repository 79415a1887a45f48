package dev.faultline.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * POSTs each alert, as Faultline's own {@code faultline.alert/v1} JSON object, to a URL: one alert
 * per request, with the same queueing, retry and backoff as {@link AlertmanagerSink}.
 *
 * <p>Every string in the payload is passed through {@link SafeText} (escaped control and bidi
 * characters, capped length), and labels and annotations are the already-sanitized ones, so a
 * receiver that renders the text verbatim cannot be tricked by CR/LF or ANSI sequences from a log.
 */
public final class WebhookSink extends HttpAlertSink {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DEPTH = 16;

    private final URI endpoint;

    /** A sink named {@code webhook}. */
    public WebhookSink(HttpSinkSettings settings, MeterRegistry registry) {
        this("webhook", settings, registry);
    }

    public WebhookSink(String name, HttpSinkSettings settings, MeterRegistry registry) {
        super(name, settings, registry);
        this.endpoint = settings.url();
    }

    @Override
    protected URI endpoint() {
        return endpoint;
    }

    @Override
    protected int batchLimit() {
        return 1;
    }

    @Override
    protected byte[] encode(List<Alert> batch) {
        try {
            return JSON.writeValueAsBytes(payloadOf(batch.get(0)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode alert", e);
        }
    }

    /** The alert's original payload, sanitized; or one built from the alert when there is none. */
    static ObjectNode payloadOf(Alert a) {
        ObjectNode o = a.payload() == null ? JSON.createObjectNode() : sanitizedCopy(a.payload(), 0);
        o.put("schema", Alert.SCHEMA);
        o.set("labels", toObject(a.labels()));
        o.set("annotations", toObject(a.annotations()));
        o.put("startsAt", a.startsAt().toString());
        if (a.endsAt() == null) {
            o.putNull("endsAt");
        } else {
            o.put("endsAt", a.endsAt().toString());
        }
        o.put("status", a.status());
        if (!a.fingerprint().isEmpty()) {
            o.put("fingerprint", a.fingerprint());
        }
        return o;
    }

    private static ObjectNode toObject(Map<String, String> m) {
        ObjectNode o = JSON.createObjectNode();
        m.forEach(o::put);
        return o;
    }

    private static ObjectNode sanitizedCopy(ObjectNode in, int depth) {
        ObjectNode out = JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> e : in.properties()) {
            JsonNode v = sanitized(e.getValue(), depth + 1);
            if (v != null) {
                out.set(SafeText.escape(e.getKey(), 128), v);
            }
        }
        return out;
    }

    private static JsonNode sanitized(JsonNode v, int depth) {
        if (v.isTextual()) {
            return JSON.getNodeFactory().textNode(SafeText.escape(v.asText()));
        }
        if (v.isObject()) {
            return depth > MAX_DEPTH ? null : sanitizedCopy((ObjectNode) v, depth);
        }
        if (v.isArray()) {
            if (depth > MAX_DEPTH) {
                return null;
            }
            ArrayNode out = JSON.createArrayNode();
            for (JsonNode item : v) {
                JsonNode s = sanitized(item, depth + 1);
                if (s != null) {
                    out.add(s);
                }
            }
            return out;
        }
        return v; // numbers, booleans, null
    }

    @Override
    public String toString() {
        return "WebhookSink[" + name() + " -> " + HttpSinkSettings.redacted(endpoint) + "]";
    }
}
