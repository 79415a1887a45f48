package dev.faultline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.faultline.app.FaultlineApp;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.config.FaultlineConfig;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A running app's ops side, as {@code faultline run} wires it: health endpoints that follow the
 * Kafka Streams state, Faultline's meters on {@code /metrics}, and an alert produced by the topology
 * reaching an Alertmanager (a JDK HTTP server standing in for it) through the forwarder.
 */
class OpsAndAlertDeliveryEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String SERVICE = "nefia-agent";
    private static final String CODE = "VPN_NOT_READY"; // nefia, transient
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @RegisterExtension
    static final BrokerExtension BROKER = new BrokerExtension();

    private record Got(int status, String body) {
    }

    private static Got get(FaultlineApp app, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.opsPort()
                    + path)).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            return new Got(r.statusCode(), r.body());
        } catch (Exception e) {
            return new Got(0, String.valueOf(e));
        }
    }

    private static FaultlineConfig config(ItSupport.Names names, Path state, String extra) throws Exception {
        EnrichScenario.createTopics(BROKER.bootstrapServers(), names, 1);
        return ItSupport.config(ItSupport.configYaml(BROKER.bootstrapServers(), names, state, "exactly_once_v2",
                "ops: {port: 0}\n" + extra));
    }

    private static FaultlineApp build(FaultlineConfig config) throws Exception {
        Enricher enricher = Enricher.create(EnrichScenario.CATALOGS, config.enricherConfig());
        return FaultlineApp.builder(config, () -> enricher).opsServer(true).alertDelivery(true).build();
    }

    @Test
    void readinessIs503UntilKafkaStreamsRunsThen200AndMetricsAreServed() throws Exception {
        ItSupport.Names names = ItSupport.Names.of(ItSupport.uniquePrefix("health"));
        Path state = ItSupport.tempDir("faultline-it-health-");
        try (FaultlineApp app = build(config(names, state, ""))) {
            Got liveBefore = get(app, "/health/live");
            Got readyBefore = get(app, "/health/ready");

            app.start();
            Got[] ready = new Got[1];
            ItSupport.await(() -> (ready[0] = get(app, "/health/ready")).status() == 200, TIMEOUT,
                    "/health/ready to answer 200");
            KafkaStreams.State stateWhenReady = app.state();

            assertThat(liveBefore.status()).isEqualTo(200);
            assertThat(readyBefore.status()).isEqualTo(503);
            assertThat(readyBefore.body()).contains("not ready").contains("CREATED");
            assertThat(stateWhenReady).isEqualTo(KafkaStreams.State.RUNNING);
            Got metrics = get(app, "/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body())
                    .contains("faultline_events_read_total{")
                    .contains("faultline_dead_letters_total{")
                    .contains("faultline_match_latency_seconds")
                    .contains("application=\"" + names.prefix() + "\"")
                    .contains("jvm_memory_used_bytes")
                    .contains("kafka_stream_");
        } finally {
            ItSupport.deleteRecursively(state);
        }
    }

    @Test
    void aFiringAlertFromTheTopologyReachesAlertmanagerThroughTheForwarder() throws Exception {
        LinkedBlockingQueue<String> posts = new LinkedBlockingQueue<>();
        dev.faultline.ops.OpsServer.applyServerLimits(); // read at the JVM's first server, which may be this one
        HttpServer alertmanager = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        alertmanager.createContext("/api/v2/alerts", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                if ("POST".equals(ex.getRequestMethod())) {
                    posts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        alertmanager.start();
        ItSupport.Names names = ItSupport.Names.of(ItSupport.uniquePrefix("deliver"));
        Path state = ItSupport.tempDir("faultline-it-deliver-");
        String alerting = """
                alerts:
                  window: 1m
                  min-count: 10
                  alertmanager:
                    urls: ["http://127.0.0.1:%d"]
                """.formatted(alertmanager.getAddress().getPort());
        try (FaultlineApp app = build(config(names, state, alerting))) {
            app.start();
            assertThat(app.awaitRunning(TIMEOUT)).isTrue();
            Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(ItSupport.producerConfig(
                    BROKER.bootstrapServers()))) {
                for (int i = 0; i < 12; i++) {
                    String line = "{\"timestamp\":\"" + t + "\",\"service\":\"" + SERVICE + "\",\"host\":\"h1\","
                            + "\"level\":\"error\",\"message\":\"vpn #" + i + "\",\"error_code\":\"" + CODE + "\"}";
                    p.send(new ProducerRecord<>(names.input(), null, t.toEpochMilli(), null,
                            line.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
                }
            }

            JsonNode delivered = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (delivered == null && System.nanoTime() < deadline) {
                String body = posts.poll(1, TimeUnit.SECONDS);
                if (body == null) {
                    continue;
                }
                for (JsonNode a : ItSupport.json(body.getBytes(StandardCharsets.UTF_8))) {
                    if (CODE.equals(a.path("labels").path("code").asText())) {
                        delivered = a;
                    }
                }
            }

            assertThat(delivered).as("the spike alert POSTed to Alertmanager").isNotNull();
            assertThat(delivered.path("labels").path("alertname").asText()).isEqualTo("FaultlineTransientErrorSpike");
            assertThat(delivered.path("labels").path("service").asText()).isEqualTo(SERVICE);
            assertThat(delivered.path("labels").path("catalog").asText()).isEqualTo("nefia");
            assertThat(delivered.path("annotations").path("summary").asText()).contains(CODE);
            Instant startsAt = Instant.parse(delivered.path("startsAt").asText());
            Instant endsAt = Instant.parse(delivered.path("endsAt").asText());
            assertThat(endsAt).as("firing: endsAt is now + firing TTL").isAfter(startsAt);
            assertThat(app.alertSinks()).extracting(s -> s.name()).containsExactly("alertmanager");
            String metrics = get(app, "/metrics").body();
            assertThat(metrics).containsPattern("faultline_alerts_total\\{[^}]*state=\"firing\"[^}]*\\} [1-9]")
                    .containsPattern("faultline_alert_forwarder_records_total\\{[^}]*outcome=\"forwarded\"[^}]*\\} [1-9]");
        } finally {
            alertmanager.stop(0);
            ItSupport.deleteRecursively(state);
        }
    }

    @Test
    void noSinkOrForwarderRunsWhenNoAlertDestinationIsConfigured() throws Exception {
        ItSupport.Names names = ItSupport.Names.of(ItSupport.uniquePrefix("nosink"));
        Path state = ItSupport.tempDir("faultline-it-nosink-");
        try (FaultlineApp app = build(config(names, state, ""))) {
            assertThat(app.alertSinks()).isEmpty();
            assertThat(List.of(get(app, "/health/live").status())).containsExactly(200);
        } finally {
            ItSupport.deleteRecursively(state);
        }
    }
}
