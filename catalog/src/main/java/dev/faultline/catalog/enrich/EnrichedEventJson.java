package dev.faultline.catalog.enrich;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.faultline.catalog.event.LogEvent;
import dev.faultline.catalog.match.ErrorMatch;
import dev.faultline.catalog.match.UnknownCode;
import dev.faultline.catalog.model.Catalog;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.catalog.model.ErrorClass;
import dev.faultline.catalog.model.Transience;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Writes {@link EnrichedEvent} as {@code faultline.enriched/v1} JSON, one object, with Jackson's
 * streaming generator (no intermediate tree). The README documents every field; adding a field is
 * a compatible change, removing or renaming one needs {@code v2}.
 *
 * <p>Most of an error object is its catalog entry's facts, the same for every event that names the entry:
 * titles, descriptions and remediation steps are most of its bytes. A writer made {@link #of for a catalog
 * set} renders those parts once per entry and copies their bytes into each event; the output is byte for byte
 * what writing them field by field gives. In the stream harness, writing the enriched JSON was ~7% of the
 * full topology's stream thread before this.
 */
public final class EnrichedEventJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    /** Writes every field itself: for entries of no known set. */
    private static final EnrichedEventJson PLAIN = new EnrichedEventJson(new IdentityHashMap<>());

    /**
     * An entry's constant fields, as the generator would write them after a previous field: from {@code code}
     * to {@code aliases}, and from {@code title} to {@code transience_source} and from {@code http_status} to
     * {@code docs} (the retry hint between them depends on the event).
     */
    private record Rendered(SerializedString head, SerializedString facts, SerializedString links) {
    }

    /** Filled once, then only read: safe to share between threads. */
    private final IdentityHashMap<CatalogEntry, Rendered> rendered;

    private EnrichedEventJson(IdentityHashMap<CatalogEntry, Rendered> rendered) {
        this.rendered = rendered;
    }

    /** A writer with every entry of {@code catalogs} rendered ahead; other entries are written field by field. */
    public static EnrichedEventJson of(CatalogSet catalogs) {
        IdentityHashMap<CatalogEntry, Rendered> rendered = new IdentityHashMap<>();
        for (Catalog catalog : catalogs.catalogs()) {
            for (CatalogEntry entry : catalog.entries().values()) {
                rendered.put(entry, render(entry));
            }
        }
        return new EnrichedEventJson(rendered);
    }

    private static Rendered render(CatalogEntry entry) {
        return new Rendered(fragment(g -> {
            g.writeStringField("code", entry.code());
            writeStrings(g, "aliases", entry.allAliases());
        }), fragment(g -> writeFacts(g, entry)), fragment(g -> writeLinks(g, entry)));
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** The fields as the generator writes them after a previous one: {@code ,"a":1,"b":2}. */
    private static SerializedString fragment(Fields fields) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNullField("");
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String object = out.toString();
        return new SerializedString(object.substring("{\"\":null".length(), object.length() - 1));
    }

    /** Writes field by field, without entries rendered ahead. */
    public static byte[] toBytes(EnrichedEvent event, int maxMessageChars) {
        return PLAIN.bytes(event, maxMessageChars);
    }

    public byte[] bytes(EnrichedEvent event, int maxMessageChars) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        write(event, maxMessageChars, out);
        return out.toByteArray();
    }

    public void write(EnrichedEvent event, int maxMessageChars, OutputStream out) {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            write(event, maxMessageChars, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(EnrichedEvent enriched, int maxMessageChars, JsonGenerator g) throws IOException {
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
            writeNullable(g, "catalog", u.catalog());
            writeNullable(g, "category", u.category());
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

    private void writeError(JsonGenerator g, ErrorMatch m, Long eventRetryAfterMs) throws IOException {
        g.writeStartObject();
        CatalogEntry entry = m.entry();
        Rendered r = entry == null ? null : rendered.get(entry);
        if (entry != null) {
            g.writeStringField("catalog", entry.catalog());
            if (r != null) {
                g.writeRaw(r.head());
            } else {
                g.writeStringField("code", entry.code());
                writeStrings(g, "aliases", entry.allAliases());
            }
        } else {
            g.writeNullField("catalog");
            g.writeStringField("code", m.matched());
            writeStrings(g, "aliases", List.of());
        }
        g.writeStringField("matched", m.matched());
        g.writeStringField("stage", m.stage().wire());
        g.writeStringField("field", m.field());
        if (entry != null) {
            if (r != null) {
                g.writeRaw(r.facts());
            } else {
                writeFacts(g, entry);
            }
            writeRetry(g, entry, eventRetryAfterMs);
            if (r != null) {
                g.writeRaw(r.links());
            } else {
                writeLinks(g, entry);
            }
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
            // as for a resolved match: no retry delay where retrying cannot help (every candidate permanent)
            Long retry = tr == Transience.PERMANENT ? null : eventRetryAfterMs;
            writeNullable(g, "retry_after_ms", retry);
            writeNullable(g, "retry_after_source", retry == null ? null : "event");
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

    private static void writeFacts(JsonGenerator g, CatalogEntry entry) throws IOException {
        g.writeStringField("title", entry.title());
        writeNullable(g, "description", entry.description());
        g.writeStringField("category", entry.category());
        g.writeStringField("class", entry.errorClass().wire());
        g.writeStringField("transience", entry.transience().wire());
        g.writeStringField("transience_source", entry.transienceBasis().source().wire());
    }

    private static void writeLinks(JsonGenerator g, CatalogEntry entry) throws IOException {
        writeNullable(g, "http_status", entry.httpStatus());
        writeNullable(g, "rpc_code", entry.rpcCode());
        writeNullable(g, "e_code", entry.eCode());
        writeNullable(g, "nps_status", entry.npsStatus());
        writeStrings(g, "remediation", entry.remediation());
        writeNullable(g, "recovery_tool", entry.recoveryTool());
        writeNullable(g, "docs", entry.docs());
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
