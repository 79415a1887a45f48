package dev.faultline.it.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.app.FaultlineApp;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.config.FaultlineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The app's ops HTTP server answers only its documented paths ({@code /metrics},
 * {@code /health/live}, {@code /health/ready} and the query API under {@code /api/…});
 * everything else, traversal tricks included, is a 404 that echoes nothing; and no answer ever
 * contains the configuration or a secret from it, with the app's Kafka client metrics bound. No
 * broker: the app is built (ops server up, clients created) but not started.
 */
class OpsEndpointsExposeNoConfigurationTest {
    /** Request targets outside the documented paths, sent byte for byte. */
    static final List<String> UNDOCUMENTED = List.of(
            "/", "/config", "/env", "/api", "/api/unknown", "/api/config", "/health", "/health/", "/metrics/",
            "/METRICS", "//metrics", "/metrics/../config", "/health/../config", "/metrics/..%2fconfig",
            "/metrics%2f..%2fconfig", "/%2e%2e/config", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/..;/config",
            "/metrics;/../config", "/metrics%00", "/actuator/env", "/debug/vars", "/.env", "/config?format=json",
            "/index.html", "/favicon.ico");

    private static final String SASL_SECRET = ThrowawayPki.randomPassword(20);
    private static final String KEYSTORE_SECRET = ThrowawayPki.randomPassword(20);
    private static final String ENV_SECRET = ThrowawayPki.randomPassword(20);
    private static final List<String> SECRETS = List.of(SASL_SECRET, KEYSTORE_SECRET, ENV_SECRET);

    /** The query API's documented routes, with and without the parameters they need. */
    private static final List<String> QUERY_API = List.of("/api/top-codes", "/api/top-codes?service=nefia-agent",
            "/api/alerts/active", "/api/catalogs", "/api/explain/E2001", "/api/explain/nope");

    private static FaultlineConfig config;
    private static FaultlineApp app;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        String yaml = """
                application.id: ops-exposure
                kafka:
                  bootstrap.servers: 127.0.0.1:1
                  security.protocol: SASL_PLAINTEXT
                  sasl.mechanism: PLAIN
                  sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="faultline" password="%s";'
                  consumer.ssl.key.password: %s
                topics:
                  input: [logs]
                ops.port: 0
                """.formatted(SASL_SECRET, KEYSTORE_SECRET);
        // The same secret as an environment override, the way a container passes it.
        config = FaultlineConfig.parse(yaml, Map.of("FAULTLINE_KAFKA_SSL_TRUSTSTORE_PASSWORD", ENV_SECRET)).orThrow();
        Enricher enricher = Enricher.create(SecurityIt.catalogs(), config.enricherConfig());
        app = FaultlineApp.builder(config, () -> enricher).opsServer(true).build();
        port = app.opsPort();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close(Duration.ofSeconds(10));
        }
    }

    @Test
    void everyPathOutsideTheDocumentedOnesIs404ForEveryMethodAndEchoesNothing() {
        List<String> wrong = new ArrayList<>();
        for (String path : UNDOCUMENTED) {
            for (String method : List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE")) {
                RawHttp.Response r = RawHttp.request(port, method, path);
                if (r.status() != 404) {
                    wrong.add(method + " " + path + " -> " + r.status());
                }
                assertThat(r.body()).as("%s %s", method, path).doesNotContain("config").doesNotContain("..");
            }
        }
        assertThat(wrong).as("requests that were not 404").isEmpty();
    }

    @Test
    void documentedPathsAnswerAndNoAnswerContainsASecretOrAKafkaSetting() {
        RawHttp.Response scrape = RawHttp.request(port, "GET", "/metrics");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("faultline_").contains("kafka_");
        assertThat(RawHttp.request(port, "GET", "/health/live").status()).isEqualTo(200);
        assertThat(RawHttp.request(port, "GET", "/health/ready").status()).isEqualTo(503);
        for (String path : concat(concat(List.of("/metrics", "/health/live", "/health/ready", "/metrics?x=1"),
                QUERY_API), UNDOCUMENTED)) {
            String all = RawHttp.request(port, "GET", path).all();
            for (String secret : SECRETS) {
                assertThat(all).as("GET %s", path).doesNotContain(secret);
            }
            assertThat(all).as("GET %s", path).doesNotContain("sasl.jaas.config").doesNotContain("PlainLoginModule");
        }
    }

    @Test
    void configToStringShowsNoKafkaValueButTheClientsStillGetThem() {
        assertThat(config.kafkaProperties()).containsEntry("ssl.truststore.password", ENV_SECRET)
                .containsEntry("consumer.ssl.key.password", KEYSTORE_SECRET);
        for (String secret : SECRETS) {
            assertThat(config.toString()).doesNotContain(secret);
        }
        assertThat(config.toString()).doesNotContain("PlainLoginModule");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
