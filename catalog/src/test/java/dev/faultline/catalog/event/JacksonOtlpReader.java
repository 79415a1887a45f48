package dev.faultline.catalog.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OTLP reader as it was before {@link OtlpReader} read batches from a {@link JsonTape}: Jackson's tree model.
 * Kept in the tests as an oracle ({@code OtlpReaderAgreementTest}): for any batch, both readers must agree.
 *
 * <p>OTLP/JSON log batches ({@code ExportLogsServiceRequest}, as the Collector's Kafka exporter writes them with
 * {@code encoding: otlp_json}). Batches are rare and structured several levels deep, so the tree model is used
 * here; it is built from the same constrained factory, so depth and string limits still hold.
 *
 * <p>Each {@code resourceLogs[].scopeLogs[].logRecords[]} becomes one event. Attributes are flattened to
 * {@code attributes.<key>} and run through the same path rules as JSON, so {@code error.type},
 * {@code exception.message} or {@code rpc.jsonrpc.error_code} are found exactly as in a JSON log.
 */
final class JacksonOtlpReader {

    private final JsonFactory factory;
    private final ObjectMapper mapper;
    private final PathRules rules;
    private final ParseConfig config;

    JacksonOtlpReader(JsonFactory factory, PathRules rules, ParseConfig config) {
        this.factory = factory;
        this.mapper = new ObjectMapper(factory);
        this.rules = rules;
        this.config = config;
    }

    ParseResult read(byte[] bytes, int start, int end, int base) {
        JsonNode root;
        JsonParser p = null;
        try {
            p = factory.createParser(bytes, start, end - start);
            root = mapper.readTree(p);
            if (p.nextToken() != null) {
                return new ParseResult.Unreadable(UnreadableReason.MALFORMED_JSON,
                        "trailing data after the JSON object at byte "
                                + (p.currentLocation().getByteOffset() + start - base));
            }
        } catch (IOException e) {
            return JacksonErrors.failure(e, p, start - base, config);
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // a byte-array parser has nothing to release
                }
            }
        }
        return events(root);
    }

    private ParseResult events(JsonNode root) {
        JsonNode resourceLogs = root.get("resourceLogs");
        if (resourceLogs == null || !resourceLogs.isArray()) {
            return malformed("resourceLogs is not an array");
        }
        // Count first so an oversized batch is rejected before any event is built.
        int total = 0;
        for (int r = 0; r < resourceLogs.size(); r++) {
            JsonNode rl = resourceLogs.get(r);
            if (!rl.isObject()) {
                return malformed("resourceLogs[" + r + "] is not an object");
            }
            JsonNode scopes = scopes(rl);
            if (scopes == null) {
                return malformed("resourceLogs[" + r + "].scopeLogs is not an array");
            }
            for (int s = 0; s < scopes.size(); s++) {
                JsonNode scope = scopes.get(s);
                if (!scope.isObject()) {
                    return malformed("resourceLogs[" + r + "].scopeLogs[" + s + "] is not an object");
                }
                JsonNode records = scope.get("logRecords");
                if (records == null || records.isNull()) {
                    continue;
                }
                if (!records.isArray()) {
                    return malformed("resourceLogs[" + r + "].scopeLogs[" + s + "].logRecords is not an array");
                }
                total += records.size();
                if (total > config.maxBatchRecords()) {
                    return new ParseResult.Unreadable(UnreadableReason.TOO_MANY_RECORDS,
                            "OTLP batch has more than " + config.maxBatchRecords() + " log records");
                }
            }
        }
        List<LogEvent> events = new ArrayList<>(total);
        for (int r = 0; r < resourceLogs.size(); r++) {
            JsonNode rl = resourceLogs.get(r);
            String service = null;
            String host = null;
            JsonNode resource = rl.get("resource");
            if (resource != null && !resource.isNull()) {
                if (!resource.isObject()) {
                    return malformed("resourceLogs[" + r + "].resource is not an object");
                }
                JsonNode attrs = resource.get("attributes");
                if (attrs != null && !attrs.isNull()) {
                    if (!attrs.isArray()) {
                        return malformed("resourceLogs[" + r + "].resource.attributes is not an array");
                    }
                    for (JsonNode kv : attrs) {
                        String key = kv.path("key").asText(null);
                        if ("service.name".equals(key) && service == null) {
                            service = stringValue(kv.get("value"));
                        } else if ("host.name".equals(key) && host == null) {
                            host = stringValue(kv.get("value"));
                        }
                    }
                }
            }
            JsonNode scopes = scopes(rl);
            for (int s = 0; s < scopes.size(); s++) {
                JsonNode records = scopes.get(s).get("logRecords");
                if (records == null || records.isNull()) {
                    continue;
                }
                for (int i = 0; i < records.size(); i++) {
                    JsonNode record = records.get(i);
                    String where = "resourceLogs[" + r + "].scopeLogs[" + s + "].logRecords[" + i + "]";
                    if (!record.isObject()) {
                        return malformed(where + " is not an object");
                    }
                    ParseResult.Unreadable bad = event(record, service, host, where, events);
                    if (bad != null) {
                        return bad;
                    }
                }
            }
        }
        return new ParseResult.Events(events);
    }

    /** The scope list ({@code scopeLogs}, or pre-1.0 {@code instrumentationLibraryLogs}); null when not an array. */
    private static JsonNode scopes(JsonNode resourceLogs) {
        JsonNode scopes = resourceLogs.get("scopeLogs");
        if (scopes == null || scopes.isNull()) {
            scopes = resourceLogs.get("instrumentationLibraryLogs");
        }
        if (scopes == null || scopes.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        return scopes.isArray() ? scopes : null;
    }

    private ParseResult.Unreadable event(JsonNode record, String service, String host, String where,
            List<LogEvent> out) {
        EventCollector c = new EventCollector(rules, rules.otlpRoot, config.maxFields());
        String timestamp = null;
        Long epochMillis = null;
        for (String key : new String[] {"timeUnixNano", "observedTimeUnixNano"}) {
            JsonNode t = record.get(key);
            if (t != null && (t.isTextual() || t.isIntegralNumber())) {
                String text = t.asText();
                if (!text.isEmpty() && !"0".equals(text)) {
                    timestamp = text;
                    epochMillis = nanosToMillis(text);
                    break;
                }
            }
        }
        String level = textOrNull(record.get("severityText"));
        if (level == null) {
            JsonNode number = record.get("severityNumber");
            if (number != null && (number.isNumber() || number.isTextual()) && !number.asText().isEmpty()) {
                level = number.asText();
            }
        }
        String message = null;
        JsonNode body = record.get("body");
        if (body != null && !body.isNull()) {
            if (!body.isObject()) {
                return malformed(where + ".body is not an AnyValue object");
            }
            JsonNode sv = body.get("stringValue");
            if (sv != null && sv.isTextual()) {
                message = sv.asText();
            }
            c.push("body");
            ParseResult.Unreadable bad = anyValue(body, c, where + ".body");
            c.pop(1);
            if (bad != null) {
                return bad;
            }
        }
        JsonNode attrs = record.get("attributes");
        if (attrs != null && !attrs.isNull()) {
            if (!attrs.isArray()) {
                return malformed(where + ".attributes is not an array");
            }
            c.push("attributes");
            ParseResult.Unreadable bad = keyValues(attrs, c, where + ".attributes");
            c.pop(1);
            if (bad != null) {
                return bad;
            }
        }
        out.add(new LogEvent(LogFormat.OTLP, timestamp, epochMillis, service, host, level, c.message(message),
                c.codes(), c.texts(), c.retryAfterMs()));
        return null;
    }

    /** A list of {@code {key, value: AnyValue}} entries, each entered as a path segment (dotted keys split). */
    private ParseResult.Unreadable keyValues(JsonNode list, EventCollector c, String where) {
        for (JsonNode kv : list) {
            JsonNode key = kv.get("key");
            if (!kv.isObject() || key == null || !key.isTextual()) {
                return malformed(where + " has an entry without a string key");
            }
            JsonNode value = kv.get("value");
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isObject()) {
                return malformed(where + " has a value that is not an AnyValue object");
            }
            int pushed = c.pushKey(key.asText());
            ParseResult.Unreadable bad = anyValue(value, c, where);
            c.pop(pushed);
            if (bad != null) {
                return bad;
            }
        }
        return null;
    }

    /** One OTLP AnyValue at the collector's current path. Recursion is bounded by the factory's depth limit. */
    private ParseResult.Unreadable anyValue(JsonNode value, EventCollector c, String where) {
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            JsonNode v = e.getValue();
            int type;
            switch (e.getKey()) {
                case "stringValue":
                    type = EventCollector.STRING;
                    break;
                case "intValue":
                    // OTLP/JSON writes int64 as a string; either way it is an integer
                    type = v.isTextual() && !EventCollector.isInteger(v.asText()) ? EventCollector.STRING
                            : EventCollector.INT;
                    break;
                case "doubleValue":
                    type = EventCollector.FLOAT;
                    break;
                case "boolValue":
                    type = EventCollector.BOOL;
                    break;
                case "arrayValue":
                case "kvlistValue": {
                    if (!v.isObject()) {
                        return malformed(where + "." + e.getKey() + " is not an object");
                    }
                    JsonNode values = v.get("values");
                    if (values == null || values.isNull()) {
                        continue;
                    }
                    if (!values.isArray()) {
                        return malformed(where + "." + e.getKey() + ".values is not an array");
                    }
                    ParseResult.Unreadable bad;
                    if (e.getKey().equals("kvlistValue")) {
                        bad = keyValues(values, c, where);
                    } else {
                        bad = null;
                        for (JsonNode item : values) {
                            if (!item.isObject()) {
                                return malformed(where + ".arrayValue has a value that is not an AnyValue");
                            }
                            bad = anyValue(item, c, where);
                            if (bad != null) {
                                break;
                            }
                        }
                    }
                    if (bad != null) {
                        return bad;
                    }
                    continue;
                }
                default: // bytesValue (base64, never a code) and fields from newer schema versions
                    continue;
            }
            if (!v.isValueNode() || v.isNull()) {
                return malformed(where + "." + e.getKey() + " is not a scalar");
            }
            if (c.overFieldLimit()) {
                return new ParseResult.Unreadable(UnreadableReason.TOO_MANY_FIELDS,
                        where + " has more than " + config.maxFields() + " scalar fields");
            }
            if (c.match()) {
                c.accept(v.asText(), type);
            }
        }
        return null;
    }

    private static String stringValue(JsonNode anyValue) {
        if (anyValue == null) {
            return null;
        }
        return textOrNull(anyValue.get("stringValue"));
    }

    private static String textOrNull(JsonNode n) {
        return n != null && n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }

    private static Long nanosToMillis(String text) {
        if (!EventCollector.isInteger(text) || text.charAt(0) == '-' || text.length() > 19) {
            return null;
        }
        try {
            return Long.parseLong(text) / 1_000_000L;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ParseResult.Unreadable malformed(String what) {
        return new ParseResult.Unreadable(UnreadableReason.MALFORMED_OTLP, what);
    }
}
