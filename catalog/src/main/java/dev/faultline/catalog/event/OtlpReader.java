package dev.faultline.catalog.event;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP/JSON log batches ({@code ExportLogsServiceRequest}, as the Collector's Kafka exporter writes them with
 * {@code encoding: otlp_json}), read from a {@link JsonTape} of the record: the batch's nested shape wants random
 * access, and the tape gives it without Jackson's tree (which tokenized about twice as slowly, BENCHMARKS.md). The
 * tests hold it to the Jackson tree reader it replaced, on random and mutated batches.
 *
 * <p>Each {@code resourceLogs[].scopeLogs[].logRecords[]} becomes one event. Attributes are flattened to
 * {@code attributes.<key>} and run through the same path rules as JSON, so {@code error.type},
 * {@code exception.message} or {@code rpc.jsonrpc.error_code} are found exactly as in a JSON log.
 */
final class OtlpReader {

    private static final byte[] RESOURCE_LOGS = ascii("resourceLogs");
    private static final byte[] RESOURCE = ascii("resource");
    private static final byte[] ATTRIBUTES = ascii("attributes");
    private static final byte[] SCOPE_LOGS = ascii("scopeLogs");
    private static final byte[] LEGACY_SCOPE_LOGS = ascii("instrumentationLibraryLogs");
    private static final byte[] LOG_RECORDS = ascii("logRecords");
    private static final byte[] KEY = ascii("key");
    private static final byte[] VALUE = ascii("value");
    private static final byte[] VALUES = ascii("values");
    private static final byte[] STRING_VALUE = ascii("stringValue");
    private static final byte[] SERVICE_NAME = ascii("service.name");
    private static final byte[] HOST_NAME = ascii("host.name");
    private static final byte[] TIME = ascii("timeUnixNano");
    private static final byte[] OBSERVED_TIME = ascii("observedTimeUnixNano");
    /** The event's time: when it happened, else when the Collector saw it. */
    private static final byte[][] TIMES = {TIME, OBSERVED_TIME};
    private static final byte[] SEVERITY_TEXT = ascii("severityText");
    private static final byte[] SEVERITY_NUMBER = ascii("severityNumber");
    private static final byte[] BODY = ascii("body");

    /** The AnyValue members {@link Batch#member} reads, the most frequent first. */
    private static final String[] VALUE_NAMES = {"stringValue", "intValue", "boolValue", "doubleValue",
        "kvlistValue", "arrayValue"};
    private static final byte[][] VALUE_NAME_BYTES = Arrays.stream(VALUE_NAMES).map(OtlpReader::ascii)
            .toArray(byte[][]::new);

    /** {@link #scopes}: no scope list at all. */
    private static final int NO_SCOPES = -2;
    /** {@link #scopes}: a scope list that is not an array. */
    private static final int BAD_SCOPES = -1;

    private final ParseConfig config;
    /** Per thread, reused record to record, as {@link JsonEventReader} keeps its own. */
    private final ThreadLocal<Scratch> scratch;

    OtlpReader(PathRules rules, ParseConfig config) {
        this.config = config;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(rules, config));
    }

    private static final class Scratch {
        final JsonTape tape;
        final EventCollector collector;

        Scratch(PathRules rules, ParseConfig config) {
            tape = new JsonTape(config);
            collector = new EventCollector(rules, rules.otlpRoot, config.maxFields());
        }
    }

    /**
     * @param start the index of the opening brace (leading whitespace and BOM already skipped)
     * @param base  the record's own offset, so positions in diagnostics are relative to the record
     */
    ParseResult read(byte[] bytes, int start, int end, int base) {
        Scratch work = scratch.get();
        try {
            return new Batch(work.tape.read(bytes, start, end, base), work.collector.attach(bytes)).events();
        } catch (JsonLexer.Bad bad) {
            // As JsonEventReader: invalid UTF-8 anywhere is reported first. A tape read whole proves the record valid
            // (strings are checked, and outside them a byte above 0x7F is malformed JSON), so only failures pay.
            ParseResult invalid = EventParser.invalidUtf8(bytes, start, end, base);
            return invalid != null ? invalid : new ParseResult.Unreadable(bad.reason, bad.getMessage());
        } finally {
            work.tape.clear();
            work.collector.reset();
        }
    }

    /** One batch's walk over its tape. */
    private final class Batch {
        private final JsonTape t;
        /** Attached to the record: plain keys are entered from its bytes. */
        private final EventCollector c;
        /** Where the record being read sits (resource, scope, record), for diagnostics built only when needed. */
        private int atResource;
        private int atScope;
        private int atRecord;

        Batch(JsonTape tape, EventCollector collector) {
            this.t = tape;
            this.c = collector;
        }

        ParseResult events() {
            int resourceLogs = t.member(0, RESOURCE_LOGS);
            if (resourceLogs < 0 || t.kind(resourceLogs) != JsonTape.ARRAY) {
                return malformed("resourceLogs is not an array");
            }
            // Count first so an oversized batch is rejected before any event is built.
            int total = 0;
            int r = 0;
            for (int rl = t.first(resourceLogs); rl >= 0; rl = t.after(resourceLogs, rl), r++) {
                if (t.kind(rl) != JsonTape.OBJECT) {
                    return malformed("resourceLogs[" + r + "] is not an object");
                }
                int scopes = scopes(rl);
                if (scopes == BAD_SCOPES) {
                    return malformed("resourceLogs[" + r + "].scopeLogs is not an array");
                }
                if (scopes == NO_SCOPES) {
                    continue;
                }
                int s = 0;
                for (int scope = t.first(scopes); scope >= 0; scope = t.after(scopes, scope), s++) {
                    if (t.kind(scope) != JsonTape.OBJECT) {
                        return malformed("resourceLogs[" + r + "].scopeLogs[" + s + "] is not an object");
                    }
                    int records = t.member(scope, LOG_RECORDS);
                    if (!t.present(records)) {
                        continue;
                    }
                    if (t.kind(records) != JsonTape.ARRAY) {
                        return malformed("resourceLogs[" + r + "].scopeLogs[" + s + "].logRecords is not an array");
                    }
                    total += t.size(records);
                    if (total > config.maxBatchRecords()) {
                        return new ParseResult.Unreadable(UnreadableReason.TOO_MANY_RECORDS,
                                "OTLP batch has more than " + config.maxBatchRecords() + " log records");
                    }
                }
            }
            List<LogEvent> events = new ArrayList<>(total);
            r = 0;
            for (int rl = t.first(resourceLogs); rl >= 0; rl = t.after(resourceLogs, rl), r++) {
                String service = null;
                String host = null;
                int resource = t.member(rl, RESOURCE);
                if (t.present(resource)) {
                    if (t.kind(resource) != JsonTape.OBJECT) {
                        return malformed("resourceLogs[" + r + "].resource is not an object");
                    }
                    int attrs = t.member(resource, ATTRIBUTES);
                    if (t.present(attrs)) {
                        if (t.kind(attrs) != JsonTape.ARRAY) {
                            return malformed("resourceLogs[" + r + "].resource.attributes is not an array");
                        }
                        for (int kv = t.first(attrs); kv >= 0; kv = t.after(attrs, kv)) {
                            int key = t.member(kv, KEY);
                            if (key < 0 || t.kind(key) != JsonTape.STRING) {
                                continue;
                            }
                            if (service == null && t.nameIs(key, SERVICE_NAME)) {
                                service = stringValue(t.member(kv, VALUE));
                            } else if (host == null && t.nameIs(key, HOST_NAME)) {
                                host = stringValue(t.member(kv, VALUE));
                            }
                        }
                    }
                }
                int scopes = scopes(rl);
                if (scopes == NO_SCOPES) {
                    continue;
                }
                int s = 0;
                for (int scope = t.first(scopes); scope >= 0; scope = t.after(scopes, scope), s++) {
                    int records = t.member(scope, LOG_RECORDS);
                    if (!t.present(records)) {
                        continue;
                    }
                    int i = 0;
                    for (int record = t.first(records); record >= 0; record = t.after(records, record), i++) {
                        atResource = r;
                        atScope = s;
                        atRecord = i;
                        if (t.kind(record) != JsonTape.OBJECT) {
                            return malformed(where() + " is not an object");
                        }
                        ParseResult.Unreadable bad = event(record, service, host, events);
                        c.clearEvent();
                        if (bad != null) {
                            return bad;
                        }
                    }
                }
            }
            return new ParseResult.Events(events);
        }

        /** The scope list ({@code scopeLogs}, or pre-1.0 {@code instrumentationLibraryLogs}), or a marker. */
        private int scopes(int resourceLogs) {
            int scopes = t.member(resourceLogs, SCOPE_LOGS);
            if (!t.present(scopes)) {
                scopes = t.member(resourceLogs, LEGACY_SCOPE_LOGS);
            }
            if (!t.present(scopes)) {
                return NO_SCOPES;
            }
            return t.kind(scopes) == JsonTape.ARRAY ? scopes : BAD_SCOPES;
        }

        private String where() {
            return "resourceLogs[" + atResource + "].scopeLogs[" + atScope + "].logRecords[" + atRecord + "]";
        }

        private ParseResult.Unreadable event(int record, String service, String host, List<LogEvent> out) {
            String timestamp = null;
            Long epochMillis = null;
            for (byte[] key : TIMES) {
                int time = t.member(record, key);
                if (time >= 0 && (t.kind(time) == JsonTape.STRING || t.kind(time) == JsonTape.INT)) {
                    String text = t.text(time);
                    if (!text.isEmpty() && !"0".equals(text)) {
                        timestamp = text;
                        epochMillis = nanosToMillis(text);
                        break;
                    }
                }
            }
            String level = textOrNull(t.member(record, SEVERITY_TEXT));
            if (level == null) {
                int number = t.member(record, SEVERITY_NUMBER);
                if (number >= 0 && isNumberOrString(number)) {
                    String text = t.text(number);
                    level = text.isEmpty() ? null : text;
                }
            }
            String message = null;
            int body = t.member(record, BODY);
            if (t.present(body)) {
                if (t.kind(body) != JsonTape.OBJECT) {
                    return malformed(where() + ".body is not an AnyValue object");
                }
                int sv = t.member(body, STRING_VALUE);
                if (sv >= 0 && t.kind(sv) == JsonTape.STRING) {
                    message = t.text(sv);
                }
                c.push("body");
                ParseResult.Unreadable bad = anyValue(body, ".body");
                c.pop(1);
                if (bad != null) {
                    return bad;
                }
            }
            int attrs = t.member(record, ATTRIBUTES);
            if (t.present(attrs)) {
                if (t.kind(attrs) != JsonTape.ARRAY) {
                    return malformed(where() + ".attributes is not an array");
                }
                c.push("attributes");
                ParseResult.Unreadable bad = keyValues(attrs, ".attributes");
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
        private ParseResult.Unreadable keyValues(int list, String at) {
            for (int kv = t.first(list); kv >= 0; kv = t.after(list, kv)) {
                int key = t.member(kv, KEY);
                if (t.kind(kv) != JsonTape.OBJECT || key < 0 || t.kind(key) != JsonTape.STRING) {
                    return malformed(where() + at + " has an entry without a string key");
                }
                int value = t.member(kv, VALUE);
                if (!t.present(value)) {
                    continue;
                }
                if (t.kind(value) != JsonTape.OBJECT) {
                    return malformed(where() + at + " has a value that is not an AnyValue object");
                }
                int pushed = t.plainAscii(key) ? c.pushRawKey(t.from(key), t.to(key)) : c.pushKey(t.text(key));
                ParseResult.Unreadable bad = anyValue(value, at);
                c.pop(pushed);
                if (bad != null) {
                    return bad;
                }
            }
            return null;
        }

        /** One OTLP AnyValue at the collector's current path. Recursion is bounded by the tape's depth limit. */
        private ParseResult.Unreadable anyValue(int value, String at) {
            int first = t.first(value);
            if (first < 0) {
                return null;
            }
            if (t.after(value, first + 1) < 0) {
                return member(valueName(first), first + 1, at); // the usual AnyValue: one member
            }
            // Several members: as Jackson's tree, a repeated name keeps its first place and its last value.
            Map<String, Integer> members = new LinkedHashMap<>();
            for (int key = first; key >= 0; key = t.after(value, key + 1)) {
                members.put(valueName(key), key + 1);
            }
            for (Map.Entry<String, Integer> m : members.entrySet()) {
                ParseResult.Unreadable bad = member(m.getKey(), m.getValue(), at);
                if (bad != null) {
                    return bad;
                }
            }
            return null;
        }

        /** An AnyValue member's name: one of {@link #VALUE_NAMES} without decoding it, else its decoded text. */
        private String valueName(int key) {
            for (int k = 0; k < VALUE_NAMES.length; k++) {
                if (t.nameIs(key, VALUE_NAME_BYTES[k])) {
                    return VALUE_NAMES[k];
                }
            }
            return t.text(key);
        }

        private ParseResult.Unreadable member(String name, int v, String at) {
            int type;
            switch (name) {
                case "stringValue":
                    type = EventCollector.STRING;
                    break;
                case "intValue":
                    // OTLP/JSON writes int64 as a string; either way it is an integer
                    type = t.kind(v) == JsonTape.STRING && !EventCollector.isInteger(t.text(v))
                            ? EventCollector.STRING : EventCollector.INT;
                    break;
                case "doubleValue":
                    type = EventCollector.FLOAT;
                    break;
                case "boolValue":
                    type = EventCollector.BOOL;
                    break;
                case "arrayValue":
                case "kvlistValue": {
                    if (t.kind(v) != JsonTape.OBJECT) {
                        return malformed(where() + at + "." + name + " is not an object");
                    }
                    int values = t.member(v, VALUES);
                    if (!t.present(values)) {
                        return null;
                    }
                    if (t.kind(values) != JsonTape.ARRAY) {
                        return malformed(where() + at + "." + name + ".values is not an array");
                    }
                    if (name.equals("kvlistValue")) {
                        return keyValues(values, at);
                    }
                    for (int item = t.first(values); item >= 0; item = t.after(values, item)) {
                        if (t.kind(item) != JsonTape.OBJECT) {
                            return malformed(where() + at + ".arrayValue has a value that is not an AnyValue");
                        }
                        ParseResult.Unreadable bad = anyValue(item, at);
                        if (bad != null) {
                            return bad;
                        }
                    }
                    return null;
                }
                default: // bytesValue (base64, never a code) and fields from newer schema versions
                    return null;
            }
            int kind = t.kind(v);
            if (kind == JsonTape.OBJECT || kind == JsonTape.ARRAY || kind == JsonTape.NULL) {
                return malformed(where() + at + "." + name + " is not a scalar");
            }
            if (c.overFieldLimit()) {
                return new ParseResult.Unreadable(UnreadableReason.TOO_MANY_FIELDS,
                        where() + at + " has more than " + config.maxFields() + " scalar fields");
            }
            if (c.match()) {
                c.accept(t.text(v), type);
            }
            return null;
        }

        private boolean isNumberOrString(int node) {
            int kind = t.kind(node);
            return kind == JsonTape.STRING || kind == JsonTape.INT || kind == JsonTape.FLOAT;
        }

        /** An AnyValue's non-empty {@code stringValue}, or null. */
        private String stringValue(int anyValue) {
            return anyValue < 0 ? null : textOrNull(t.member(anyValue, STRING_VALUE));
        }

        private String textOrNull(int node) {
            if (node < 0 || t.kind(node) != JsonTape.STRING) {
                return null;
            }
            String text = t.text(node);
            return text.isEmpty() ? null : text;
        }
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

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
