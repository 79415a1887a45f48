package dev.faultline.catalog.enrich;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.faultline.catalog.event.LogEvent;
import dev.faultline.catalog.match.ErrorMatch;
import dev.faultline.catalog.match.UnknownCode;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.ErrorClass;
import dev.faultline.catalog.model.Transience;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Writes {@link EnrichedEvent} as {@code faultline.enriched/v1} JSON, one object, with Jackson's
 * streaming generator (no intermediate tree). The README documents every field; adding a field is
 * a compatible change, removing or renaming one needs {@code v2}.
 */
public final class EnrichedEventJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private EnrichedEventJson() {
    }

    public static byte[] toBytes(EnrichedEvent event, int maxMessageChars) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        write(event, maxMessageChars, out);
        return out.toByteArray();
    }

    public static void write(EnrichedEvent event, int maxMessageChars, OutputStream out) {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            write(event, maxMessageChars, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(EnrichedEvent enriched, int maxMessageChars, JsonGenerator g) throws IOException {
        LogEvent e = enriched.event();
        g.writeStartObject();
        g.writeStringField("schema", EnrichedEvent.SCHEMA);
        if (e.epochMillis() != null) {
            g.writeStringField("timestamp", Instant.ofEpochMilli(e.epochMillis()).toString());
            g.writeNumberField("time_ms", e.epochMillis());
        } else {
            writeNullable(g, "timestamp", e.timestamp());
            g.writeNullField("time_ms");
        }
        writeNullable(g, "service", e.service());
        writeNullable(g, "host", e.host());
        writeNullable(g, "level", e.level());
        writeNullable(g, "message", truncate(e.message(), maxMessageChars));
        g.writeStringField("format", e.format().wire());
        writeSource(g, enriched.source());
        g.writeStringField("catalog_version", enriched.catalogVersion());
        g.writeArrayFieldStart("errors");
        for (ErrorMatch m : enriched.errors()) {
            writeError(g, m, e.retryAfterMs());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("unknown_codes");
        for (UnknownCode u : enriched.unknownCodes()) {
            g.writeStartObject();
            g.writeStringField("field", u.field());
            g.writeStringField("value", u.value());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeSource(JsonGenerator g, SourceRef s) throws IOException {
        g.writeObjectFieldStart("source");
        if (s.topic() != null) {
            g.writeStringField("topic", s.topic());
            g.writeNumberField("partition", s.partition());
            g.writeNumberField("offset", s.offset());
        }
        if (s.file() != null) {
            g.writeStringField("file", s.file());
            g.writeNumberField("line", s.line());
        }
        g.writeEndObject();
    }

    private static void writeError(JsonGenerator g, ErrorMatch m, Long eventRetryAfterMs) throws IOException {
        g.writeStartObject();
        CatalogEntry entry = m.entry();
        if (entry != null) {
            g.writeStringField("catalog", entry.catalog());
            g.writeStringField("code", entry.code());
            writeStrings(g, "aliases", entry.allAliases());
        } else {
            g.writeNullField("catalog");
            g.writeStringField("code", m.matched());
            writeStrings(g, "aliases", List.of());
        }
        g.writeStringField("matched", m.matched());
        g.writeStringField("stage", m.stage().wire());
        g.writeStringField("field", m.field());
        if (entry != null) {
            g.writeStringField("title", entry.title());
            writeNullable(g, "description", entry.description());
            g.writeStringField("category", entry.category());
            g.writeStringField("class", entry.errorClass().wire());
            g.writeStringField("transience", entry.transience().wire());
            g.writeStringField("transience_source", entry.transienceBasis().source().wire());
            writeRetry(g, entry, eventRetryAfterMs);
            writeNullable(g, "http_status", entry.httpStatus());
            writeNullable(g, "rpc_code", entry.rpcCode());
            writeNullable(g, "e_code", entry.eCode());
            writeNullable(g, "nps_status", entry.npsStatus());
            writeStrings(g, "remediation", entry.remediation());
            writeNullable(g, "recovery_tool", entry.recoveryTool());
            writeNullable(g, "docs", entry.docs());
            g.writeBooleanField("ambiguous", false);
        } else {
            // An ambiguous match still aggregates by class and alerts by transience when every candidate agrees.
            ErrorClass cls = commonClass(m.candidates());
            Transience tr = commonTransience(m.candidates());
            g.writeNullField("title");
            g.writeNullField("description");
            g.writeNullField("category");
            writeNullable(g, "class", cls == null ? null : cls.wire());
            writeNullable(g, "transience", tr == null ? null : tr.wire());
            g.writeNullField("transience_source");
            writeNullable(g, "retry_after_ms", eventRetryAfterMs);
            writeNullable(g, "retry_after_source", eventRetryAfterMs == null ? null : "event");
            g.writeNullField("http_status");
            g.writeNullField("rpc_code");
            g.writeNullField("e_code");
            g.writeNullField("nps_status");
            writeStrings(g, "remediation", List.of());
            g.writeNullField("recovery_tool");
            g.writeNullField("docs");
            g.writeBooleanField("ambiguous", true);
            g.writeArrayFieldStart("candidates");
            for (CatalogEntry c : m.candidates()) {
                g.writeStartObject();
                g.writeStringField("catalog", c.catalog());
                g.writeStringField("code", c.code());
                g.writeStringField("title", c.title());
                g.writeStringField("class", c.errorClass().wire());
                g.writeStringField("transience", c.transience().wire());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** The event's own retry hint wins over the catalog's default: it was computed for this very failure. */
    private static void writeRetry(JsonGenerator g, CatalogEntry entry, Long eventRetryAfterMs) throws IOException {
        if (eventRetryAfterMs != null && entry.transience() != Transience.PERMANENT) {
            g.writeNumberField("retry_after_ms", eventRetryAfterMs);
            g.writeStringField("retry_after_source", "event");
        } else if (entry.retryAfterMs() != null) {
            g.writeNumberField("retry_after_ms", entry.retryAfterMs());
            g.writeStringField("retry_after_source", "catalog");
        } else {
            g.writeNullField("retry_after_ms");
            g.writeNullField("retry_after_source");
        }
    }

    public static ErrorClass commonClass(List<CatalogEntry> candidates) {
        ErrorClass common = null;
        for (CatalogEntry c : candidates) {
            if (common != null && common != c.errorClass()) {
                return null;
            }
            common = c.errorClass();
        }
        return common;
    }

    public static Transience commonTransience(List<CatalogEntry> candidates) {
        Transience common = null;
        for (CatalogEntry c : candidates) {
            if (common != null && common != c.transience()) {
                return null;
            }
            common = c.transience();
        }
        return common;
    }

    static String truncate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int cut = max;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--; // never split a surrogate pair
        }
        return text.substring(0, cut) + "…[" + (text.length() - cut) + " more chars]";
    }

    private static void writeNullable(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    private static void writeNullable(JsonGenerator g, String name, Number value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value.longValue());
        }
    }

    private static void writeStrings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
