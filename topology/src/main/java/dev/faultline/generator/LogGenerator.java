package dev.faultline.generator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.catalog.model.Catalog;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.catalog.model.ErrorClass;
import dev.faultline.catalog.model.Transience;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Makes realistic log records from the seed systems, with codes picked from the loaded catalogs
 * so every code of every bundled catalog can appear.
 *
 * <p>Deterministic: the same catalogs, seed, profile and sequence of calls (with the same times)
 * give the same bytes. Time is always passed in; the generator never reads a clock. Not
 * thread-safe (one random stream).
 *
 * <p>Error events name their code with a token that identifies exactly one entry of its catalog
 * (the code itself, or an E-code, alias or RPC number no other entry of the catalog claims), and
 * normal lines contain no catalog token at all, so every record's findings are known in advance
 * ({@link GeneratedRecord#errors()}). Free-text lines, which may not name their service in a way
 * a parser can bind, only use tokens no other catalog has.
 */
public final class LogGenerator {
    /** Deliberately unreadable records, with the DLQ reason Faultline should give them. */
    public enum BadKind {
        INVALID_UTF8("invalid-utf8"),
        TRUNCATED_JSON("malformed-json");

        private final String reason;

        BadKind(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HOSTS = List.of("prod-web-01", "prod-web-02", "prod-api-03", "edge-fra-1",
            "edge-sfo-2", "batch-07", "db-proxy-1", "ops-bastion");
    private static final int MAX_OTLP_BATCH = 4;

    private final GeneratorProfile profile;
    private final SplittableRandom random;
    private final List<SeedSystem> systems = new ArrayList<>();
    private final Map<SeedSystem, List<CatalogEntry>> entries = new EnumMap<>(SeedSystem.class);
    /** Per entry: string tokens (code, E-code, aliases) that name only it within its catalog. */
    private final Map<String, List<String>> catalogTokens = new HashMap<>();
    /** Per entry: string tokens no other entry of any loaded catalog carries (case-insensitively). */
    private final Map<String, List<String>> globalTokens = new HashMap<>();
    /** Per entry: its RPC number when no other entry of its catalog has it. */
    private final Map<String, Integer> uniqueRpc = new HashMap<>();
    private final CatalogSet catalogs;
    private long sequence;

    public LogGenerator(CatalogSet catalogs, long seed, GeneratorProfile profile) {
        this.catalogs = Objects.requireNonNull(catalogs, "catalogs");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.random = new SplittableRandom(seed);
        indexTokens(catalogs);
        for (SeedSystem s : SeedSystem.values()) {
            catalogs.catalog(s.catalogId()).ifPresent(c -> {
                if (!c.entries().isEmpty()) {
                    systems.add(s);
                    entries.put(s, List.copyOf(c.entries().values()));
                }
            });
        }
        if (systems.isEmpty()) {
            throw new IllegalArgumentException("none of the seed catalogs is loaded: " + catalogs.versionStamp());
        }
        if (profile.spike() != null) {
            spikeEntry(); // fail now, not a minute into the run
        }
    }

    private void indexTokens(CatalogSet set) {
        Map<String, Integer> global = new HashMap<>();
        for (Catalog c : set.catalogs()) {
            Map<String, Integer> local = new HashMap<>();
            Map<Integer, Integer> rpc = new HashMap<>();
            for (CatalogEntry e : c.entries().values()) {
                for (String t : distinct(e.stringTokens())) {
                    local.merge(t, 1, Integer::sum);
                    global.merge(t.toLowerCase(Locale.ROOT), 1, Integer::sum);
                }
                if (e.rpcCode() != null) {
                    rpc.merge(e.rpcCode(), 1, Integer::sum);
                }
            }
            for (CatalogEntry e : c.entries().values()) {
                List<String> unique = new ArrayList<>();
                for (String t : distinct(e.stringTokens())) {
                    if (local.get(t) == 1) {
                        unique.add(t);
                    }
                }
                catalogTokens.put(e.key(), unique);
                if (e.rpcCode() != null && rpc.get(e.rpcCode()) == 1) {
                    uniqueRpc.put(e.key(), e.rpcCode());
                }
            }
        }
        for (Catalog c : set.catalogs()) {
            for (CatalogEntry e : c.entries().values()) {
                List<String> unique = new ArrayList<>();
                for (String t : catalogTokens.get(e.key())) {
                    if (global.get(t.toLowerCase(Locale.ROOT)) == 1) {
                        unique.add(t);
                    }
                }
                globalTokens.put(e.key(), unique);
            }
        }
    }

    private static List<String> distinct(List<String> tokens) {
        return List.copyOf(new java.util.LinkedHashSet<>(tokens));
    }

    public GeneratorProfile profile() {
        return profile;
    }

    /** The seed systems whose catalogs are loaded, in a fixed order. */
    public List<SeedSystem> systems() {
        return List.copyOf(systems);
    }

    /** Every entry the generator can pick for a system. */
    public List<CatalogEntry> entries(SeedSystem system) {
        return entries.getOrDefault(system, List.of());
    }

    /**
     * One record of normal traffic at {@code now}: a poison pill with probability {@code badRatio},
     * otherwise a line (or OTLP batch) from a random system where each event is an error with
     * probability {@code errorRatio}.
     */
    public GeneratedRecord next(Instant now) {
        if (profile.badRatio() > 0 && random.nextDouble() < profile.badRatio()) {
            BadKind[] kinds = BadKind.values();
            return bad(now, kinds[random.nextInt(kinds.length)]);
        }
        SeedSystem system = systems.get(random.nextInt(systems.size()));
        String service = pick(system.services());
        if (random.nextDouble() < profile.errorRatio()) {
            CatalogEntry entry = pick(entries.get(system));
            return error(now, entry, service, pick(formatsFor(entry)));
        }
        return info(now, system, service, pick(infoFormats(system)));
    }

    /** One record of the configured spike: its code from its service, in a random applicable format. */
    public GeneratedRecord spike(Instant now) {
        GeneratorProfile.Spike s = profile.spike();
        if (s == null) {
            throw new IllegalStateException("the profile has no spike");
        }
        CatalogEntry entry = spikeEntry();
        return error(now, entry, s.service(), pick(formatsFor(entry)));
    }

    private CatalogEntry spikeEntry() {
        GeneratorProfile.Spike s = profile.spike();
        return entry(s.catalog(), s.code());
    }

    /** The entry {@code catalog:code}; throws when no loaded catalog holds it. */
    public CatalogEntry entry(String catalog, String code) {
        return catalogs.catalog(catalog).flatMap(c -> c.entry(code))
                .orElseThrow(() -> new IllegalArgumentException("no catalog entry " + catalog + ":" + code));
    }

    /** The formats an error of this entry can be written in so that exactly this entry is found. */
    public List<WireFormat> formatsFor(CatalogEntry entry) {
        List<WireFormat> formats = new ArrayList<>();
        if (!catalogTokens.getOrDefault(entry.key(), List.of()).isEmpty()) {
            formats.add(WireFormat.PINO_JSON);
            formats.add(WireFormat.ECS_JSON);
            formats.add(WireFormat.LOGFMT);
            formats.add(WireFormat.OTLP_JSON);
            if (entry.catalog().equals(SeedSystem.FOUNDRY_MCP.catalogId())) {
                formats.add(WireFormat.FOUNDRY_ENVELOPE);
            }
        }
        if (uniqueRpc.containsKey(entry.key())) {
            formats.add(WireFormat.JSON_RPC);
        }
        if (!globalTokens.getOrDefault(entry.key(), List.of()).isEmpty()) {
            formats.add(WireFormat.TEXT);
        }
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("no token names " + entry.key() + " unambiguously");
        }
        return formats;
    }

    private List<WireFormat> infoFormats(SeedSystem system) {
        List<WireFormat> formats = new ArrayList<>(List.of(WireFormat.PINO_JSON, WireFormat.ECS_JSON,
                WireFormat.LOGFMT, WireFormat.TEXT, WireFormat.OTLP_JSON));
        if (system == SeedSystem.FOUNDRY_MCP) {
            formats.add(WireFormat.FOUNDRY_ENVELOPE);
        } else if (system != SeedSystem.NPS) {
            formats.add(WireFormat.JSON_RPC);
        }
        return formats;
    }

    /** An error event of {@code entry} from {@code service} in {@code format} (an OTLP batch of one). */
    public GeneratedRecord error(Instant now, CatalogEntry entry, String service, WireFormat format) {
        if (!formatsFor(entry).contains(format)) {
            throw new IllegalArgumentException(entry.key() + " cannot be written unambiguously as " + format);
        }
        Event e = errorEvent(now, entry, service);
        byte[] value = format == WireFormat.OTLP_JSON ? otlp(service, e.host, batchAround(now, e, service))
                : write(format, e);
        return new GeneratedRecord(profile.topic(), key(service), value, format, service,
                format == WireFormat.OTLP_JSON ? e.batchSize : 1, e.batchErrors, null);
    }

    /** A normal line (or OTLP batch of normal lines) from {@code service}. */
    public GeneratedRecord info(Instant now, SeedSystem system, String service, WireFormat format) {
        Event e = infoEvent(now, system, service);
        byte[] value = format == WireFormat.OTLP_JSON ? otlp(service, e.host, batchAround(now, e, service))
                : write(format, e);
        return new GeneratedRecord(profile.topic(), key(service), value, format, service,
                format == WireFormat.OTLP_JSON ? e.batchSize : 1, e.batchErrors, null);
    }

    /** A deliberately unreadable record. */
    public GeneratedRecord bad(Instant now, BadKind kind) {
        SeedSystem system = systems.get(random.nextInt(systems.size()));
        String service = pick(system.services());
        byte[] line = write(WireFormat.PINO_JSON, infoEvent(now, system, service));
        byte[] value;
        if (kind == BadKind.INVALID_UTF8) {
            // A Latin-1 "é" where UTF-8 is expected: 0xE9 followed by an ASCII byte is never valid UTF-8.
            String text = new String(line, StandardCharsets.UTF_8);
            int at = text.indexOf("\"msg\":\"") + 7;
            byte[] head = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
            byte[] tail = text.substring(at).getBytes(StandardCharsets.UTF_8);
            value = new byte[head.length + 2 + tail.length];
            System.arraycopy(head, 0, value, 0, head.length);
            value[head.length] = 'r';
            value[head.length + 1] = (byte) 0xE9;
            System.arraycopy(tail, 0, value, head.length + 2, tail.length);
        } else {
            // Cut mid-object, as a crashed writer or a size-limited shipper would.
            int cut = line.length / 3 + random.nextInt(Math.max(1, line.length / 2));
            value = java.util.Arrays.copyOf(line, Math.min(cut, line.length - 2));
        }
        return new GeneratedRecord(profile.topic(), key(service), value, WireFormat.PINO_JSON, service, 0, List.of(),
                kind.reason());
    }

    // ---------------------------------------------------------------------------------- events

    /** One log event before it is written in a format. */
    private static final class Event {
        Instant time;
        String service;
        String host;
        String op;
        int pid;
        String requestId;
        long durationMs;
        String message;
        CatalogEntry entry;
        String token;
        String textToken;
        Integer rpc;
        // Filled when the event is the head of an OTLP batch.
        int batchSize = 1;
        List<ExpectedError> batchErrors = List.of();

        boolean isError() {
            return entry != null;
        }
    }

    private Event baseEvent(Instant now, SeedSystem system, String service) {
        Event e = new Event();
        e.time = now;
        e.service = service;
        e.host = pick(HOSTS);
        e.op = system == null ? "request" : pick(system.operations());
        e.pid = 1000 + random.nextInt(60_000);
        e.requestId = "req-" + Long.toHexString(++sequence) + Integer.toHexString(random.nextInt(0x10000));
        e.durationMs = 1 + random.nextInt(900);
        return e;
    }

    private Event infoEvent(Instant now, SeedSystem system, String service) {
        Event e = baseEvent(now, system, service);
        e.message = pick(system.infoMessages());
        return e;
    }

    private Event errorEvent(Instant now, CatalogEntry entry, String service) {
        SeedSystem system = SeedSystem.byCatalog(entry.catalog()).orElse(null);
        Event e = baseEvent(now, system, service);
        e.entry = entry;
        e.message = phrase(entry.errorClass());
        List<String> tokens = catalogTokens.get(entry.key());
        // Mostly the canonical code; sometimes another unambiguous form (E-code, alias), as real logs mix them.
        e.token = tokens.isEmpty() ? null
                : tokens.contains(entry.code()) && random.nextInt(4) != 0 ? entry.code() : pick(tokens);
        List<String> global = globalTokens.get(entry.key());
        e.textToken = global.isEmpty() ? null : global.contains(entry.code()) ? entry.code() : pick(global);
        e.rpc = uniqueRpc.get(entry.key());
        e.batchErrors = List.of(new ExpectedError(entry.catalog(), entry.code(), service));
        return e;
    }

    /** The event plus 0..3 more from the same service, as an OTLP exporter batches them. */
    private List<Event> batchAround(Instant now, Event head, String service) {
        List<Event> batch = new ArrayList<>();
        batch.add(head);
        List<ExpectedError> errors = new ArrayList<>(head.batchErrors);
        SeedSystem system = SeedSystem.byService(service)
                .or(() -> head.entry == null ? java.util.Optional.empty() : SeedSystem.byCatalog(head.entry.catalog()))
                .orElse(systems.get(0));
        int more = random.nextInt(MAX_OTLP_BATCH);
        for (int i = 0; i < more; i++) {
            Event e;
            if (random.nextDouble() < profile.errorRatio() && entries.containsKey(system)) {
                CatalogEntry entry = pick(entries.get(system));
                if (catalogTokens.get(entry.key()).isEmpty()) {
                    e = infoEvent(now, system, service);
                } else {
                    e = errorEvent(now, entry, service);
                    errors.addAll(e.batchErrors);
                }
            } else {
                e = infoEvent(now, system, service);
            }
            e.host = head.host;
            batch.add(e);
        }
        head.batchSize = batch.size();
        head.batchErrors = List.copyOf(errors);
        return batch;
    }

    /** Plain lower-case words per class: never a catalog token, so the only finding is the code we put in. */
    private static String phrase(ErrorClass c) {
        switch (c) {
            case VALIDATION: return "request validation failed";
            case AUTHENTICATION: return "authentication failed";
            case AUTHORIZATION: return "caller lacks permission";
            case NOT_FOUND: return "referenced resource is missing";
            case CONFLICT: return "resource state mismatch, request rejected";
            case PRECONDITION: return "precondition not met";
            case RATE_LIMIT: return "rate limit hit, backing off";
            case QUOTA: return "quota exhausted";
            case TIMEOUT: return "operation timed out";
            case UNAVAILABLE: return "dependency unreachable";
            case CANCELLED: return "operation was aborted";
            case UNSUPPORTED: return "operation not supported";
            case PROTOCOL: return "protocol violation on the wire";
            case DEPENDENCY: return "downstream step failed";
            default: return "unexpected server failure";
        }
    }

    // --------------------------------------------------------------------------------- formats

    private byte[] write(WireFormat format, Event e) {
        switch (format) {
            case PINO_JSON: return json(pino(e));
            case JSON_RPC: return json(jsonRpc(e));
            case FOUNDRY_ENVELOPE: return json(foundry(e));
            case ECS_JSON: return json(ecs(e));
            case LOGFMT: return logfmt(e).getBytes(StandardCharsets.UTF_8);
            case TEXT: return text(e).getBytes(StandardCharsets.UTF_8);
            default: throw new IllegalArgumentException("not a single-event format: " + format);
        }
    }

    private ObjectNode pino(Event e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("level", e.isError() ? 50 : 30);
        n.put("time", e.time.toEpochMilli());
        n.put("pid", e.pid);
        n.put("hostname", e.host);
        n.put("service", e.service);
        n.put("reqId", e.requestId);
        n.put("msg", e.isError() ? e.op + " failed" : e.message);
        if (e.isError()) {
            String type = e.entry.sourceType() != null && Character.isUpperCase(e.entry.sourceType().charAt(0))
                    ? e.entry.sourceType() : "Error";
            ObjectNode err = n.putObject("err");
            err.put("type", type);
            err.put("message", e.message);
            err.put("code", e.token);
            err.put("stack", type + ": " + e.message + "\n    at handle (/srv/app/dist/handlers/"
                    + e.op.replace('.', '/') + ".js:" + (20 + e.pid % 180) + ":11)\n    at process.processTicksAndRejections"
                    + " (node:internal/process/task_queues:95:5)");
        } else {
            ObjectNode req = n.putObject("req");
            req.put("method", e.pid % 3 == 0 ? "GET" : "POST");
            req.put("url", "/v1/" + e.op.replace('.', '/'));
            n.putObject("res").put("statusCode", 200);
            n.put("responseTime", e.durationMs);
        }
        return n;
    }

    private ObjectNode jsonRpc(Event e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("time", e.time.toString());
        n.put("level", e.isError() ? "error" : "info");
        n.put("service", e.service);
        n.put("host", e.host);
        n.put("msg", e.isError() ? "rpc call failed" : e.message);
        n.put("method", e.op);
        n.put("duration_ms", e.durationMs);
        ObjectNode response = n.putObject("response");
        response.put("jsonrpc", "2.0");
        response.put("id", e.pid);
        if (e.isError()) {
            ObjectNode error = response.putObject("error");
            error.put("code", e.rpc);
            error.put("message", e.message);
            if (e.entry.catalog().equals(SeedSystem.NEFIA.catalogId())) {
                // nefia's MCP server adds a recovery tool to every error and a retry hint to transient ones.
                ObjectNode data = error.putObject("data");
                if (e.entry.recoveryTool() != null) {
                    data.put("recovery_tool", e.entry.recoveryTool());
                }
                if (e.entry.transience() == Transience.TRANSIENT) {
                    data.put("retry_after_ms", 1000 * (1 + e.pid % 10));
                }
            }
        } else {
            response.putObject("result").put("ok", true);
        }
        return n;
    }

    private ObjectNode foundry(Event e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("timestamp", e.time.toString());
        n.put("level", e.isError() ? "ERROR" : "INFO");
        n.put("logger", "foundry_mcp.tools." + e.op.replace('.', '_'));
        n.put("service", e.service);
        n.put("tool", e.op);
        n.put("success", !e.isError());
        ObjectNode data = n.putObject("data");
        if (e.isError()) {
            data.put("error_code", e.token);
            data.put("error_type", e.entry.sourceType() != null ? e.entry.sourceType() : e.entry.errorClass().wire());
            ObjectNode details = data.putObject("details");
            details.put("request_id", e.requestId);
            if (e.entry.errorClass() == ErrorClass.RATE_LIMIT) {
                details.put("retry_after_seconds", 5 + e.pid % 25);
            }
            n.put("error", e.message);
        } else {
            data.put("message", e.message);
            data.put("duration_ms", e.durationMs);
            n.putNull("error");
        }
        n.putObject("meta").put("version", "response-v2");
        return n;
    }

    private ObjectNode ecs(Event e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("@timestamp", e.time.toString());
        n.put("log.level", e.isError() ? "error" : "info");
        n.put("message", e.isError() ? e.op + " failed: " + e.message : e.message);
        n.put("ecs.version", "8.11.0");
        n.put("service.name", e.service);
        n.put("host.name", e.host);
        n.put("event.action", e.op);
        n.put("event.duration", e.durationMs * 1_000_000L);
        n.put("trace.id", e.requestId);
        if (e.isError()) {
            n.put("error.code", e.token);
            n.put("error.message", e.message);
        }
        return n;
    }

    private String logfmt(Event e) {
        StringBuilder b = new StringBuilder(160);
        b.append("time=").append(e.time).append(" level=").append(e.isError() ? "error" : "info")
                .append(" service=").append(e.service).append(" host=").append(e.host)
                .append(" op=").append(e.op).append(" msg=\"").append(e.isError() ? e.message : e.message).append('"');
        if (e.isError()) {
            b.append(" err_code=").append(e.token);
        }
        b.append(" duration_ms=").append(e.durationMs).append(" req_id=").append(e.requestId);
        return b.toString();
    }

    private String text(Event e) {
        String body = e.isError() ? e.message + " during " + e.op + "; error: " + e.textToken : e.message;
        if (e.pid % 2 == 0) {
            // RFC 5424, facility local0: <131> is err, <134> is info.
            return "<" + (e.isError() ? 131 : 134) + ">1 " + e.time + " " + e.host + " " + e.service + " " + e.pid
                    + " - - " + body;
        }
        return e.time + " " + (e.isError() ? "ERROR" : "INFO ") + " " + e.service + "[" + e.pid + "]: " + body;
    }

    private byte[] otlp(String service, String host, List<Event> events) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode resourceLogs = root.putArray("resourceLogs").addObject();
        ArrayNode resAttrs = resourceLogs.putObject("resource").putArray("attributes");
        stringAttr(resAttrs, "service.name", service);
        stringAttr(resAttrs, "host.name", host);
        stringAttr(resAttrs, "deployment.environment", "production");
        ObjectNode scopeLogs = resourceLogs.putArray("scopeLogs").addObject();
        scopeLogs.putObject("scope").put("name", service + ".logger").put("version", "1.4.0");
        ArrayNode records = scopeLogs.putArray("logRecords");
        for (Event e : events) {
            ObjectNode r = records.addObject();
            String nanos = Long.toString(e.time.getEpochSecond() * 1_000_000_000L + e.time.getNano());
            r.put("timeUnixNano", nanos);
            r.put("observedTimeUnixNano", nanos);
            r.put("severityNumber", e.isError() ? 17 : 9);
            r.put("severityText", e.isError() ? "ERROR" : "INFO");
            r.putObject("body").put("stringValue", e.isError() ? e.op + " failed: " + e.message : e.message);
            ArrayNode attrs = r.putArray("attributes");
            stringAttr(attrs, "event.name", e.op);
            if (e.isError()) {
                stringAttr(attrs, "error.type", e.token);
            } else {
                attrs.addObject().put("key", "http.response.status_code").putObject("value").put("intValue", "200");
            }
            r.put("traceId", String.format(Locale.ROOT, "%032x", e.requestId.hashCode() & 0xffffffffL));
        }
        return json(root);
    }

    private static void stringAttr(ArrayNode attrs, String key, String value) {
        attrs.addObject().put("key", key).putObject("value").put("stringValue", value);
    }

    // ---------------------------------------------------------------------------------- helpers

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    private static byte[] key(String service) {
        return service.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many entries of each loaded seed catalog can be generated (all of them, unless a catalog has an entry no token names alone). */
    public Map<String, Integer> coverage() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (SeedSystem s : systems) {
            int n = 0;
            for (CatalogEntry e : entries.get(s)) {
                if (!catalogTokens.get(e.key()).isEmpty() || uniqueRpc.containsKey(e.key())) {
                    n++;
                }
            }
            out.put(s.catalogId(), n);
        }
        return out;
    }
}
