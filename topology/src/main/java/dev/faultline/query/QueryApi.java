package dev.faultline.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.model.CatalogEntry;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.config.FaultlineKeys;
import dev.faultline.ops.OpsRequest;
import dev.faultline.ops.OpsResponse;
import dev.faultline.ops.OpsServer;
import dev.faultline.topology.QueryableStores;
import dev.faultline.topology.QueryableStores.ActiveAlert;
import dev.faultline.topology.QueryableStores.ServiceWindow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query API's routes. Only these paths exist (anything else is the ops server's 404):
 * <ul>
 *   <li>{@code GET /api/top-codes?service=S[&windows=N]}: the service's newest N (default 3, at
 *       most 60) windows of the smallest {@code windows.sizes}, each with its event count and top
 *       10 codes, read from the windowed aggregate store on the instance owning the service;</li>
 *   <li>{@code GET /api/alerts/active}: firing alerts from the alert state store of every instance;</li>
 *   <li>{@code GET /api/catalogs}: the catalogs this instance enriches with, and their versions;</li>
 *   <li>{@code GET /api/explain/{code}[?catalog=ID]}: one code's entry; ambiguous codes list their
 *       candidates; unknown codes are 404.</li>
 * </ul>
 * Errors are {@code {"error": "..."}} with fixed texts: no request text, no configuration, no
 * exception details. 503 means "not now" (starting, rebalancing, an owner unreachable): retry.
 */
public final class QueryApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);

    public static final String TOP_CODES = "/api/top-codes";
    public static final String ALERTS_ACTIVE = "/api/alerts/active";
    public static final String CATALOGS = "/api/catalogs";
    public static final String EXPLAIN = "/api/explain/";

    static final int DEFAULT_WINDOWS = 3;
    static final int MAX_WINDOWS = 60;
    static final int TOP_CODES_PER_WINDOW = 10;
    static final int MAX_ALERTS = 1000;
    static final int MAX_PARAM_CHARS = 256;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final Supplier<KafkaStreams> streams;
    private final Supplier<Enricher> enricher;
    private final Duration windowSize;
    private final Duration alertWindow;
    private final HostInfo self;
    private final PeerClient peers;

    /**
     * @param streams    the running KafkaStreams ({@code null} until it exists)
     * @param enricher   the catalogs in use ({@code null} until loaded)
     * @param advertised this instance's {@code application.server}, host:port
     */
    public QueryApi(Supplier<KafkaStreams> streams, Supplier<Enricher> enricher, Duration windowSize,
            Duration alertWindow, String advertised) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.enricher = Objects.requireNonNull(enricher, "enricher");
        this.windowSize = Objects.requireNonNull(windowSize, "windowSize");
        this.alertWindow = Objects.requireNonNull(alertWindow, "alertWindow");
        this.self = HostInfo.buildFromEndpoint(Objects.requireNonNull(advertised, "advertised"));
        this.peers = new PeerClient(CONNECT_TIMEOUT, REQUEST_TIMEOUT, advertised);
    }

    /** The API for {@code config}: top codes over the smallest window size, alerts in {@code alerts.window}. */
    public static QueryApi create(FaultlineConfig config, Supplier<KafkaStreams> streams, Supplier<Enricher> enricher,
            String advertised) {
        Duration smallest = config.windowSizes().stream().min(Comparator.naturalOrder()).orElseThrow();
        return new QueryApi(streams, enricher, smallest, config.get(FaultlineKeys.ALERTS_WINDOW), advertised);
    }

    /** Mounts the four routes. */
    public void mountOn(OpsServer server) {
        server.mount(TOP_CODES, this::topCodes);
        server.mount(ALERTS_ACTIVE, this::activeAlerts);
        server.mount(CATALOGS, this::catalogs);
        server.mount(EXPLAIN, this::explain);
    }

    // ------------------------------------------------------------------ top codes (a key query)

    OpsResponse topCodes(OpsRequest request) {
        String service = request.param("service").map(String::strip).orElse("");
        if (service.isEmpty() || service.length() > MAX_PARAM_CHARS) {
            return OpsResponse.error(400, "service is required (1 to " + MAX_PARAM_CHARS + " characters)");
        }
        Optional<String> w = request.param("windows");
        int windows = DEFAULT_WINDOWS;
        if (w.isPresent()) {
            try {
                windows = Integer.parseInt(w.get().strip());
            } catch (NumberFormatException e) {
                windows = -1;
            }
            if (windows < 1 || windows > MAX_WINDOWS) {
                return OpsResponse.error(400, "windows must be between 1 and " + MAX_WINDOWS);
            }
        }
        KafkaStreams ks = queryable();
        if (ks == null) {
            return notReady();
        }
        String store = QueryableStores.aggregateStore(windowSize);
        KeyQueryMetadata md = ks.queryMetadataForKey(store, QueryableStores.serviceKey(service),
                QueryableStores.servicePartitioner());
        boolean local = md != null && !KeyQueryMetadata.NOT_AVAILABLE.equals(md) && self.equals(md.activeHost());
        if (!isForwarded(request)) {
            if (md == null || KeyQueryMetadata.NOT_AVAILABLE.equals(md)) {
                return notReady();
            }
            if (!local) {
                Map<String, String> params = new LinkedHashMap<>();
                params.put("service", service);
                params.put("windows", Integer.toString(windows));
                PeerClient.Answer a = peers.get(md.activeHost(), TOP_CODES, params).join();
                if (a.status() == 0) {
                    return OpsResponse.error(503, "the instance owning this service did not answer; retry");
                }
                return OpsResponse.json(a.status(), new String(a.body(), StandardCharsets.UTF_8));
            }
        }
        List<ServiceWindow> found;
        try {
            // Forwarded here while metadata disagrees (a rebalance): look in every local partition.
            found = QueryableStores.serviceWindows(ks, windowSize, service, local ? md.partition() : null, windows,
                    TOP_CODES_PER_WINDOW);
        } catch (InvalidStateStoreException e) {
            return migrating();
        }
        return json(QueryJson.topCodes(service, windowSize, found, catalogs()));
    }

    // ------------------------------------------------------------------ active alerts (all keys)

    OpsResponse activeAlerts(OpsRequest request) {
        KafkaStreams ks = queryable();
        if (ks == null) {
            return notReady();
        }
        CatalogSet catalogs = catalogs();
        if (isForwarded(request)) {
            try {
                List<ActiveAlert> local = QueryableStores.activeAlerts(ks, MAX_ALERTS + 1);
                ObjectNode root = QueryJson.MAPPER.createObjectNode();
                ArrayNode list = root.putArray("alerts");
                local.stream().limit(MAX_ALERTS).forEach(a -> list.add(QueryJson.alert(a, alertWindow, catalogs)));
                root.put("truncated", local.size() > MAX_ALERTS);
                return json(root);
            } catch (InvalidStateStoreException e) {
                return migrating();
            }
        }
        Collection<StreamsMetadata> hosts = ks.streamsMetadataForStore(QueryableStores.alertStore());
        if (hosts.isEmpty()) {
            return notReady();
        }
        List<CompletableFuture<PeerClient.Answer>> remote = new ArrayList<>();
        List<ObjectNode> merged = new ArrayList<>();
        int unavailable = 0;
        boolean truncated = false;
        boolean selfListed = false;
        for (StreamsMetadata m : hosts) {
            if (self.equals(m.hostInfo())) {
                selfListed = true;
            } else {
                remote.add(peers.get(m.hostInfo(), ALERTS_ACTIVE, Map.of()));
            }
        }
        if (selfListed) {
            try {
                List<ActiveAlert> local = QueryableStores.activeAlerts(ks, MAX_ALERTS + 1);
                truncated = local.size() > MAX_ALERTS;
                local.forEach(a -> merged.add(QueryJson.alert(a, alertWindow, catalogs)));
            } catch (InvalidStateStoreException e) {
                unavailable++;
            }
        }
        for (CompletableFuture<PeerClient.Answer> f : remote) {
            PeerClient.Answer a = f.join(); // bounded: PeerClient completes every future within its timeouts
            JsonNode body = a.ok() ? parse(a.body()) : null;
            if (body == null || !body.path("alerts").isArray()) {
                unavailable++;
                continue;
            }
            truncated |= body.path("truncated").asBoolean(false);
            body.path("alerts").forEach(n -> {
                if (n.isObject()) {
                    merged.add((ObjectNode) n);
                }
            });
        }
        if (unavailable == hosts.size()) {
            return OpsResponse.error(503, "no instance answered; retry");
        }
        Map<String, ObjectNode> byFingerprint = new LinkedHashMap<>();
        merged.stream()
                .sorted(Comparator.comparing((ObjectNode n) -> startedAt(n)).thenComparing(n -> n.path("fingerprint")
                        .asText("")))
                .forEach(n -> byFingerprint.putIfAbsent(n.path("fingerprint").asText(""), n));
        ObjectNode root = QueryJson.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("alerts");
        byFingerprint.values().stream().limit(MAX_ALERTS).forEach(list::add);
        root.put("count", list.size());
        root.put("truncated", truncated || byFingerprint.size() > MAX_ALERTS);
        root.put("partial", unavailable > 0);
        root.put("unavailable_instances", unavailable);
        return json(root);
    }

    private static Instant startedAt(ObjectNode n) {
        try {
            return Instant.parse(n.path("started_at").asText(""));
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    // ------------------------------------------------------------------ catalogs (local)

    OpsResponse catalogs(OpsRequest request) {
        CatalogSet catalogs = catalogs();
        if (catalogs == null) {
            return OpsResponse.error(503, "catalogs not loaded");
        }
        return json(QueryJson.catalogs(catalogs));
    }

    OpsResponse explain(OpsRequest request) {
        // The ops server also routes the bare prefix ("/api/explain") here.
        String raw = request.path().length() > EXPLAIN.length() ? request.path().substring(EXPLAIN.length()) : "";
        if (raw.isEmpty() || raw.indexOf('/') >= 0) {
            return OpsResponse.error(404, "not found");
        }
        String code = percentDecode(raw);
        if (code == null || code.isBlank() || code.length() > MAX_PARAM_CHARS) {
            return OpsResponse.error(400, "not a code");
        }
        Enricher e = enricher.get();
        if (e == null) {
            return OpsResponse.error(503, "catalogs not loaded");
        }
        Optional<String> catalog = request.param("catalog").map(String::strip);
        if (catalog.isPresent() && e.catalogs().catalog(catalog.get()).isEmpty()) {
            return OpsResponse.error(404, "unknown catalog");
        }
        List<CatalogEntry> found = e.matcher().index().lookup(code, catalog);
        if (found.isEmpty()) {
            return OpsResponse.error(404, "unknown code");
        }
        if (found.size() == 1) {
            return json(QueryJson.entry(found.get(0), e.catalogs()));
        }
        return json(QueryJson.ambiguous(code.strip(), found));
    }

    // ------------------------------------------------------------------ helpers

    private static boolean isForwarded(OpsRequest request) {
        return request.param(PeerClient.FORWARDED_PARAM).isPresent();
    }

    private KafkaStreams queryable() {
        KafkaStreams ks = streams.get();
        return ks != null && ks.state().isRunningOrRebalancing() ? ks : null;
    }

    private CatalogSet catalogs() {
        Enricher e = enricher.get();
        return e == null ? null : e.catalogs();
    }

    private static OpsResponse notReady() {
        return OpsResponse.error(503, "not ready; retry");
    }

    private static OpsResponse migrating() {
        return OpsResponse.error(503, "state is being restored or moved; retry");
    }

    private static OpsResponse json(JsonNode node) {
        return OpsResponse.json(200, QueryJson.write(node));
    }

    private static JsonNode parse(byte[] body) {
        try {
            return QueryJson.MAPPER.readTree(body);
        } catch (IOException e) {
            LOG.debug("query api: unreadable answer from a peer: {}", e.getClass().getSimpleName());
            return null;
        }
    }

    /** Strict RFC 3986 percent-decoding of one path segment ({@code +} stays {@code +}); {@code null} if malformed. */
    static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        peers.close();
    }
}
