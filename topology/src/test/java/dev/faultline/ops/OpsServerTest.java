package dev.faultline.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.catalog.event.LogFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpsServerTest {
    private static final String SECRET = "s3cret-sasl-password-" + System.nanoTime();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private FaultlineMetrics metrics;
    private OpsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    private OpsServer start(OpsServer.Builder b) throws Exception {
        server = b.port(0).build().start();
        return server;
    }

    private HttpResponse<String> request(String method, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return request("GET", path);
    }

    @Test
    void metricsServesFaultlineSeriesInPrometheusTextFormatAfterRecording() throws Exception {
        metrics = FaultlineMetrics.createPrometheus();
        start(OpsServer.builder().metrics(metrics));
        metrics.recordEvent(LogFormat.LOGFMT);
        metrics.recordEvent(LogFormat.LOGFMT);
        metrics.recordDeadLetter("too-large");

        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(FaultlineMetrics.PROMETHEUS_TEXT_CONTENT_TYPE);
        assertThat(r.body())
                .contains("# HELP faultline_events_read_total")
                .contains("faultline_events_read_total{format=\"logfmt\"} 2.0")
                .contains("faultline_dead_letters_total{reason=\"too-large\"} 1.0")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void readinessFlipsFrom503To200WhenTheCheckSaysReady() throws Exception {
        AtomicReference<Readiness> state = new AtomicReference<>(Readiness.down("kafka streams REBALANCING"));
        start(OpsServer.builder().readiness(state::get));

        HttpResponse<String> notReady = get("/health/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.headers().firstValue("Content-Type")).hasValue(OpsResponse.JSON);
        assertThat(notReady.body()).isEqualTo("{\"status\":\"not ready\",\"reason\":\"kafka streams REBALANCING\"}");

        state.set(Readiness.up());
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}");
    }

    @Test
    void livenessIsUpWhileTheProcessAnswersEvenWhenNotReady() throws Exception {
        start(OpsServer.builder());
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void aThrowingReadinessCheckIsNotReadyWithoutDetails() throws Exception {
        start(OpsServer.builder().readiness(() -> {
            throw new IllegalStateException("password=" + SECRET);
        }));
        HttpResponse<String> r = get("/health/ready");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("check failed").doesNotContain(SECRET);
    }

    @Test
    void unknownPathsAre404WithATinyJsonBodyThatDoesNotEchoThePath() throws Exception {
        start(OpsServer.builder());
        for (String path : new String[] {"/", "/nope", "/metrics/", "/health", "/health/", "/%3Cscript%3E",
            "/../etc/passwd", "/api/anything"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).isEqualTo("{\"error\":\"not found\"}");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
    }

    @Test
    void wrongMethodIs405WithAnAllowHeader() throws Exception {
        start(OpsServer.builder());
        HttpResponse<String> r = request("POST", "/health/live");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(request("DELETE", "/metrics").statusCode()).isEqualTo(405);
        assertThat(request("HEAD", "/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void configurationAndSecretsAreNeverExposed() throws Exception {
        System.setProperty("faultline.test.secret", SECRET);
        try {
            metrics = FaultlineMetrics.createPrometheus();
            start(OpsServer.builder().metrics(metrics).readiness(Readiness::up));
            for (String path : new String[] {"/config", "/env", "/api/config", "/actuator/env", "/configprops",
                "/debug/vars", "/faultline.yaml", "/config/faultline.yaml", "/.git/config", "/metrics?x=/config"}) {
                HttpResponse<String> r = get(path);
                assertThat(r.body()).as(path).doesNotContain(SECRET);
                if (!path.startsWith("/metrics")) {
                    assertThat(r.statusCode()).as(path).isEqualTo(404);
                }
            }
            for (String path : new String[] {"/metrics", "/health/live", "/health/ready"}) {
                assertThat(get(path).body()).as(path).doesNotContain(SECRET).doesNotContain("faultline.test.secret");
            }
        } finally {
            System.clearProperty("faultline.test.secret");
        }
    }

    @Test
    void bindsToLoopbackByDefault() throws Exception {
        start(OpsServer.builder());
        assertThat(server.address()).startsWith("127.0.0.1:");
    }

    @Test
    void mountedRoutesAnswerUnderTheirPrefixAndFailuresAreBare500s() throws Exception {
        start(OpsServer.builder());
        server.mount("/api/", req -> OpsResponse.json(200,
                OpsServer.toJson(java.util.Map.of("path", req.path(), "limit", req.param("limit").orElse("-")))));
        server.mount("/api/boom", req -> {
            throw new IllegalStateException("secret " + SECRET);
        });
        server.mount("/api/write", Set.of("POST"), req -> OpsResponse.json(202, "{}"));

        HttpResponse<String> r = get("/api/errors/top?limit=5");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"path\":\"/api/errors/top\"").contains("\"limit\":\"5\"");

        HttpResponse<String> boom = get("/api/boom");
        assertThat(boom.statusCode()).isEqualTo(500);
        assertThat(boom.body()).isEqualTo("{\"error\":\"internal error\"}");

        assertThat(get("/api/write").statusCode()).isEqualTo(405);
        assertThat(request("POST", "/api/write").statusCode()).isEqualTo(202);
    }

    @Test
    void builtInEndpointsCannotBeReplaced() throws Exception {
        start(OpsServer.builder());
        assertThatThrownBy(() -> server.mount("/metrics", req -> OpsResponse.json(200, "{}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.mount("/health/ready", req -> OpsResponse.json(200, "{}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.mount("/", req -> OpsResponse.json(200, "{}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.mount("/api/../x", req -> OpsResponse.json(200, "{}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlongUrisAreRefused() throws Exception {
        start(OpsServer.builder());
        assertThat(get("/" + "a".repeat(OpsServer.MAX_URI_CHARS + 10)).statusCode()).isEqualTo(414);
    }

    @Test
    void withoutAMetricsRegistryMetricsIs404() throws Exception {
        start(OpsServer.builder());
        assertThat(get("/metrics").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldAnswerTheLivenessProbeWhileMoreClientsThanThreadsNeverFinishTheirRequest() throws Exception {
        // The app's pool: 4 request threads, 32 queued.
        try (OpsServer server = OpsServer.builder().port(0).threads(4, 32).build().start()) {
            java.util.List<java.net.Socket> stalled = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port());
                    s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // and never the blank line
                    s.getOutputStream().flush();
                    stalled.add(s);
                }
                HttpRequest live = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health/live"))
                        .timeout(Duration.ofSeconds(60)).GET().build();

                HttpResponse<String> r = HttpClient.newHttpClient().send(live, HttpResponse.BodyHandlers.ofString());

                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(stalled.get(0).getInputStream().read()).as("a stalled connection is closed").isEqualTo(-1);
            } finally {
                for (java.net.Socket s : stalled) {
                    s.close();
                }
            }
        }
    }
}
