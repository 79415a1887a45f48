package dev.faultline.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.catalog.enrich.EnrichedEventJson;
import dev.faultline.catalog.model.Catalog;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.catalog.model.ErrorClass;
import dev.faultline.catalog.model.Resolution;
import dev.faultline.catalog.model.Transience;
import dev.faultline.config.Durations;
import dev.faultline.topology.QueryableStores.ActiveAlert;
import dev.faultline.topology.QueryableStores.CodeCount;
import dev.faultline.topology.QueryableStores.ServiceWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The query API's JSON: field names follow the enriched event ({@code snake_case}, {@code class}, {@code transience}). */
final class QueryJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private QueryJson() {
    }

    static String write(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    /** {@code GET /api/top-codes}. */
    static ObjectNode topCodes(String service, Duration size, List<ServiceWindow> windows, CatalogSet catalogs) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("service", service);
        root.put("window_size", Durations.format(size));
        ArrayNode list = root.putArray("windows");
        for (ServiceWindow w : windows) {
            ObjectNode o = list.addObject();
            o.put("start", instant(w.start()));
            o.put("end", instant(w.end()));
            o.put("events", w.total());
            o.put("distinct_codes", w.distinctCodes());
            ArrayNode codes = o.putArray("codes");
            for (CodeCount c : w.codes()) {
                ObjectNode co = codes.addObject();
                co.put("catalog", c.catalog());
                co.put("code", c.code());
                co.put("title", title(catalogs, c.catalog(), c.code()));
                co.put("class", c.errorClass());
                co.put("count", c.count());
                co.put("transient_count", c.transientCount());
            }
        }
        return root;
    }

    /** One entry of {@code GET /api/alerts/active}. */
    static ObjectNode alert(ActiveAlert a, Duration window, CatalogSet catalogs) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("fingerprint", a.fingerprint());
        o.put("kind", a.kind());
        o.put("service", a.service());
        o.put("catalog", a.catalog());
        o.put("code", a.code());
        o.put("title", a.code() == null ? null : title(catalogs, a.catalog(), a.code()));
        o.put("class", a.errorClass());
        o.put("transience", a.transience());
        o.put("started_at", instant(a.startedAt()));
        o.put("last_notified_at", a.lastNotifiedAt() < 0 ? null : instant(a.lastNotifiedAt()));
        o.put("last_seen", instant(a.lastSeen()));
        ObjectNode w = o.putObject("window");
        w.put("start", instant(a.windowStart()));
        w.put("size", Durations.format(window));
        w.put("count", a.windowCount());
        o.put("baseline", Math.round(a.baseline() * 100.0) / 100.0);
        if (a.score() == null) {
            o.putNull("score");
        } else {
            o.put("score", Math.round(a.score() * 100.0) / 100.0);
        }
        return o;
    }

    /** {@code GET /api/catalogs}. */
    static ObjectNode catalogs(CatalogSet catalogs) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("catalog_version", catalogs.versionStamp());
        root.put("entries", catalogs.entryCount());
        ArrayNode list = root.putArray("catalogs");
        for (Catalog c : catalogs.catalogs()) {
            ObjectNode o = list.addObject();
            o.put("id", c.id());
            o.put("version", c.version());
            o.put("name", c.name());
            o.put("entries", c.entries().size());
            o.put("docs", c.docs());
        }
        return root;
    }

    /** {@code GET /api/explain/{code}}, one entry: every field, like {@code faultline explain --verbose}. */
    static ObjectNode entry(CatalogEntry e, CatalogSet catalogs) {
        Catalog c = catalogs.catalog(e.catalog()).orElse(null);
        ObjectNode o = MAPPER.createObjectNode();
        o.put("ambiguous", false);
        o.put("catalog", e.catalog());
        o.put("catalog_version", c == null ? null : c.version());
        o.put("code", e.code());
        strings(o.putArray("aliases"), e.allAliases());
        o.put("title", e.title());
        o.put("description", e.description());
        o.put("category", e.category());
        o.put("source_type", e.sourceType());
        o.put("class", e.errorClass().wire());
        o.put("transience", e.transience().wire());
        o.put("transience_source", e.transienceBasis().source().wire());
        o.put("transience_basis", e.transienceBasis().basis());
        o.put("transience_rule", e.transienceBasis().rule());
        if (e.retryAfterMs() == null) {
            o.putNull("retry_after_ms");
        } else {
            o.put("retry_after_ms", e.retryAfterMs());
        }
        o.put("retry_after_note", e.retryAfterNote());
        if (e.httpStatus() == null) {
            o.putNull("http_status");
        } else {
            o.put("http_status", e.httpStatus());
        }
        if (e.rpcCode() == null) {
            o.putNull("rpc_code");
        } else {
            o.put("rpc_code", e.rpcCode());
        }
        o.put("e_code", e.eCode());
        o.put("nps_status", e.npsStatus());
        strings(o.putArray("remediation"), e.remediation());
        o.put("recovery_tool", e.recoveryTool());
        o.put("recovery_tool_note", e.recoveryToolNote());
        o.put("docs", e.docs() != null ? e.docs() : c == null ? null : c.docs());
        strings(o.putArray("notes"), e.notes());
        ArrayNode shared = o.putArray("shared_tokens");
        if (c != null) {
            for (Resolution r : c.resolutions()) {
                if (r.claimants().contains(e.code())) {
                    ObjectNode so = shared.addObject();
                    so.put("token", r.token());
                    strings(so.putArray("claimants"), r.claimants());
                    so.put("owner", r.owner());
                    so.put("reason", r.reason());
                }
            }
        }
        return o;
    }

    /** {@code GET /api/explain/{code}} when the code names several entries. */
    static ObjectNode ambiguous(String code, List<CatalogEntry> candidates) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("ambiguous", true);
        o.put("code", code);
        ErrorClass cls = EnrichedEventJson.commonClass(candidates);
        Transience tr = EnrichedEventJson.commonTransience(candidates);
        o.put("class", cls == null ? null : cls.wire());
        o.put("transience", tr == null ? null : tr.wire());
        ArrayNode list = o.putArray("candidates");
        for (CatalogEntry e : candidates) {
            ObjectNode c = list.addObject();
            c.put("catalog", e.catalog());
            c.put("code", e.code());
            c.put("title", e.title());
            c.put("class", e.errorClass().wire());
            c.put("transience", e.transience().wire());
        }
        return o;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static String title(CatalogSet catalogs, String catalog, String code) {
        if (catalogs == null || catalog == null || code == null) {
            return null;
        }
        return catalogs.catalog(catalog).flatMap(c -> c.entry(code)).map(CatalogEntry::title).orElse(null);
    }
}
