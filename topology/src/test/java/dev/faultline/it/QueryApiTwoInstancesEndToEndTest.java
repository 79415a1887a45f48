package dev.faultline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.app.FaultlineApp;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.kafka.EmbeddedKafkaBroker;
import dev.faultline.topology.QueryableStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Faultline instances of one application (same application id, own state dirs and ops ports)
 * over a two-partition input topic: whichever instance is asked answers for every service and
 * every alert, routing a service's query to the instance owning its store partition and fanning
 * active alerts out to both. The services are chosen so each instance owns a service's aggregates
 * and the other one owns that service's alert, so every answer needs the other instance.
 */
class QueryApiTwoInstancesEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String SPIKE = "VPN_NOT_READY"; // nefia, transient
    private static final String OTHER = "SSH_AUTH_FAILED"; // nefia, permanent
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static EmbeddedKafkaBroker broker;
    private static ItSupport.Names names;
    private static Path stateA;
    private static Path stateB;
    private static FaultlineApp a;
    private static FaultlineApp b;
    /** Aggregates on A, code alert on B; and the reverse. */
    private static String serviceOfA;
    private static String serviceOfB;

    @BeforeAll
    static void startTwoInstancesAndProduce() throws Exception {
        broker = new EmbeddedKafkaBroker().start();
        String bootstrap = broker.bootstrapServers();
        names = ItSupport.Names.of(ItSupport.uniquePrefix("query"));
        EnrichScenario.createTopics(bootstrap, names, 2);
        stateA = ItSupport.tempDir("faultline-it-query-a-");
        stateB = ItSupport.tempDir("faultline-it-query-b-");
        String extra = """
                ops: {port: 0}
                windows: {sizes: [1m], grace: 30s}
                alerts: {window: 1m, min-count: 10}
                """;
        a = start(ItSupport.config(ItSupport.configYaml(bootstrap, names, stateA, "at_least_once", extra)));
        b = start(ItSupport.config(ItSupport.configYaml(bootstrap, names, stateB, "at_least_once", extra)));
        ItSupport.await(() -> a.state() == KafkaStreams.State.RUNNING && b.state() == KafkaStreams.State.RUNNING
                && spreadOverBoth(a) && spreadOverBoth(b), TIMEOUT,
                "both instances RUNNING with the aggregate and alert partitions spread over both");

        HostInfo hostA = HostInfo.buildFromEndpoint(a.advertisedAddress());
        HostInfo hostB = HostInfo.buildFromEndpoint(b.advertisedAddress());
        for (int i = 0; i < 200 && (serviceOfA == null || serviceOfB == null); i++) {
            String s = "nefia-agent-" + i;
            HostInfo aggregates = a.streams().queryMetadataForKey(QueryableStores.aggregateStore(Duration.ofMinutes(1)),
                    QueryableStores.serviceKey(s), QueryableStores.servicePartitioner()).activeHost();
            HostInfo alert = a.streams().queryMetadataForKey(QueryableStores.alertStore(), codeFingerprint(s),
                    new StringSerializer()).activeHost();
            if (serviceOfA == null && aggregates.equals(hostA) && alert.equals(hostB)) {
                serviceOfA = s;
            } else if (serviceOfB == null && aggregates.equals(hostB) && alert.equals(hostA)) {
                serviceOfB = s;
            }
        }
        assertThat(serviceOfA).as("a service with aggregates on A and its alert on B").isNotNull();
        assertThat(serviceOfB).as("a service with aggregates on B and its alert on A").isNotNull();

        // One instant: every record lands in one window. Each service: 12 of the spike code (fires at
        // 10), and some of a permanent code.
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(ItSupport.producerConfig(bootstrap))) {
            for (int i = 0; i < 12; i++) {
                send(p, t, serviceOfA, SPIKE, i);
                send(p, t, serviceOfB, SPIKE, i);
            }
            for (int i = 0; i < 5; i++) {
                send(p, t, serviceOfA, OTHER, i);
            }
            for (int i = 0; i < 3; i++) {
                send(p, t, serviceOfB, OTHER, i);
            }
            p.flush();
        }
    }

    private static FaultlineApp start(FaultlineConfig config) throws Exception {
        Enricher enricher = Enricher.create(EnrichScenario.CATALOGS, config.enricherConfig());
        FaultlineApp app = FaultlineApp.builder(config, () -> enricher).opsServer(true).build();
        app.start();
        return app;
    }

    /** Both stores have an active partition on each of the two instances (the assignment has settled). */
    private static boolean spreadOverBoth(FaultlineApp app) {
        for (String store : List.of(QueryableStores.aggregateStore(Duration.ofMinutes(1)),
                QueryableStores.alertStore())) {
            Set<HostInfo> hosts = new HashSet<>();
            for (StreamsMetadata m : app.streams().streamsMetadataForStore(store)) {
                if (!m.topicPartitions().isEmpty()) {
                    hosts.add(m.hostInfo());
                }
            }
            if (!hosts.equals(Set.of(HostInfo.buildFromEndpoint(a.advertisedAddress()),
                    HostInfo.buildFromEndpoint(b.advertisedAddress())))) {
                return false;
            }
        }
        return true;
    }

    /** The alert fingerprint of a code series (as the README documents it): SHA-256 of the identity, 16 hex digits. */
    private static String codeFingerprint(String service) throws Exception {
        String identity = "code\u0000" + service + "\u0000nefia\u0000" + SPIKE;
        byte[] d = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, 8);
    }

    private static void send(KafkaProducer<byte[], byte[]> p, Instant t, String service, String code, int i)
            throws Exception {
        String line = "{\"timestamp\":\"" + t + "\",\"service\":\"" + service + "\",\"host\":\"h" + (i % 2)
                + "\",\"level\":\"error\",\"message\":\"" + code + " #" + i + "\",\"error_code\":\"" + code + "\"}";
        p.send(new ProducerRecord<>(names.input(), null, t.toEpochMilli(), null,
                line.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        for (FaultlineApp app : new FaultlineApp[] {a, b}) {
            if (app != null) {
                app.close(Duration.ofSeconds(30));
            }
        }
        if (broker != null) {
            broker.close();
        }
        ItSupport.deleteRecursively(stateA);
        ItSupport.deleteRecursively(stateB);
    }

    private record Got(int status, String body) {
        JsonNode json() {
            return ItSupport.json(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Got get(FaultlineApp app, String pathAndQuery) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.opsPort()
                    + pathAndQuery)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            return new Got(r.statusCode(), r.body());
        } catch (Exception e) {
            return new Got(0, String.valueOf(e));
        }
    }

    /** Polls until the answer is 200 and its newest window counts {@code events}; returns that window. */
    private static JsonNode newestWindow(FaultlineApp app, String service, long events) {
        Got[] last = new Got[1];
        ItSupport.await(() -> {
            last[0] = get(app, "/api/top-codes?service=" + service);
            return last[0].status() == 200 && last[0].json().path("windows").path(0).path("events").asLong()
                    == events;
        }, TIMEOUT, "top codes of " + service + " with " + events + " events (last: " + (last[0] == null ? "-"
                : last[0].status() + " " + last[0].body()) + ")");
        JsonNode root = last[0].json();
        assertThat(root.path("service").asText()).isEqualTo(service);
        assertThat(root.path("window_size").asText()).isEqualTo("1m");
        return root.path("windows").path(0);
    }

    private static List<String> codes(JsonNode window) {
        List<String> out = new ArrayList<>();
        window.path("codes").forEach(c -> out.add(c.path("code").asText() + "=" + c.path("count").asLong()));
        return out;
    }

    @Test
    void eachInstanceAnswersTopCodesForServicesWhoseAggregatesTheOtherInstanceOwns() {
        for (FaultlineApp asked : List.of(a, b)) {
            JsonNode ofA = newestWindow(asked, serviceOfA, 17);
            JsonNode ofB = newestWindow(asked, serviceOfB, 15);

            assertThat(codes(ofA)).containsExactly(SPIKE + "=12", OTHER + "=5");
            assertThat(codes(ofB)).containsExactly(SPIKE + "=12", OTHER + "=3");
            assertThat(ofA.path("codes").path(0).path("catalog").asText()).isEqualTo("nefia");
            assertThat(ofA.path("codes").path(0).path("title").asText()).isNotBlank();
            assertThat(ofA.path("codes").path(0).path("transient_count").asLong()).isEqualTo(12);
        }
    }

    @Test
    void eachInstanceListsTheActiveAlertsOfBothInstances() {
        for (FaultlineApp asked : List.of(a, b)) {
            Got[] last = new Got[1];
            ItSupport.await(() -> {
                last[0] = get(asked, "/api/alerts/active");
                if (last[0].status() != 200) {
                    return false;
                }
                Set<String> spiking = new HashSet<>();
                last[0].json().path("alerts").forEach(al -> {
                    // The alert exists from the 10th record on; wait until it has seen all 12.
                    if (SPIKE.equals(al.path("code").asText()) && al.path("window").path("count").asLong() == 12) {
                        spiking.add(al.path("service").asText());
                    }
                });
                return spiking.equals(Set.of(serviceOfA, serviceOfB));
            }, TIMEOUT, "both services' spike alerts (last: " + (last[0] == null ? "-" : last[0].body()) + ")");

            JsonNode root = last[0].json();
            assertThat(root.path("partial").asBoolean()).isFalse();
            assertThat(root.path("count").asInt()).isEqualTo(root.path("alerts").size());
            JsonNode alert = null;
            for (JsonNode al : root.path("alerts")) {
                if (SPIKE.equals(al.path("code").asText()) && serviceOfA.equals(al.path("service").asText())) {
                    alert = al;
                }
            }
            assertThat(alert).isNotNull();
            assertThat(alert.path("catalog").asText()).isEqualTo("nefia");
            assertThat(alert.path("transience").asText()).isEqualTo("transient");
            assertThat(alert.path("window").path("count").asLong()).isEqualTo(12);
            assertThat(alert.path("window").path("size").asText()).isEqualTo("1m");
            assertThat(alert.path("started_at").asText()).isNotBlank();
        }
    }

    @Test
    void unknownPathsAre404AndNoAnswerContainsConfiguration() {
        for (FaultlineApp asked : List.of(a, b)) {
            for (String path : List.of("/api/config", "/api/top-codes/" + serviceOfA, "/api/stores", "/env")) {
                assertThat(get(asked, path).status()).as(path).isEqualTo(404);
            }
            List<String> secrets = List.of(broker.bootstrapServers(), stateA.toString(), stateB.toString(),
                    names.input());
            for (String path : List.of("/api/top-codes?service=" + serviceOfA, "/api/alerts/active",
                    "/api/catalogs", "/api/explain/E2001", "/health/ready", "/health/live", "/api/explain/nope")) {
                Got got = get(asked, path);
                for (String secret : secrets) {
                    assertThat(got.body()).as(path).doesNotContain(secret);
                }
            }
        }
    }

    @Test
    void catalogsAndExplainAnswerOnEveryInstance() {
        for (FaultlineApp asked : List.of(a, b)) {
            Got catalogs = get(asked, "/api/catalogs");
            Got explain = get(asked, "/api/explain/" + SPIKE);

            assertThat(catalogs.status()).isEqualTo(200);
            assertThat(catalogs.json().path("catalog_version").asText())
                    .isEqualTo(EnrichScenario.CATALOGS.versionStamp());
            assertThat(explain.status()).isEqualTo(200);
            assertThat(explain.json().path("catalog").asText()).isEqualTo("nefia");
        }
    }

    @Test
    void eachInstanceAdvertisesItsOwnOpsAddressForQueryRouting() {
        assertThat(a.advertisedAddress()).isEqualTo("127.0.0.1:" + a.opsPort());
        assertThat(b.advertisedAddress()).isEqualTo("127.0.0.1:" + b.opsPort());
        assertThat(Map.of("a", a.opsPort(), "b", b.opsPort()).values()).doesNotHaveDuplicates();
    }
}
