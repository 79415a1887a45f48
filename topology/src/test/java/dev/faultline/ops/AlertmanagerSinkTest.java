package dev.faultline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertmanagerSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-11-21T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-21T10:05:00Z");

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private FakeHttpServer track(FakeHttpServer s) {
        toClose.add(s);
        return s;
    }

    private AlertmanagerSink sink(FakeHttpServer am, int capacity, int batch) {
        return sink(am, capacity, batch, Duration.ofSeconds(20)); // generous: a loaded CI machine must not time out
    }

    private AlertmanagerSink sink(FakeHttpServer am, int capacity, int batch, Duration requestTimeout) {
        return sink(am.base(), capacity, batch, requestTimeout);
    }

    private AlertmanagerSink sink(java.net.URI base, int capacity, int batch, Duration requestTimeout) {
        HttpSinkSettings settings = new HttpSinkSettings(base, capacity, batch, Duration.ofSeconds(5),
                requestTimeout, Duration.ofMillis(5), Duration.ofMillis(40), Duration.ofSeconds(5),
                Duration.ofMinutes(20), Map.of("Authorization", "Bearer s3cret"));
        AlertmanagerSink sink = new AlertmanagerSink("alertmanager", settings, registry,
                Clock.fixed(NOW, ZoneOffset.UTC));
        toClose.add(sink);
        return sink;
    }

    /** Short backoff and the given firing TTL, for the give-up tests. */
    private AlertmanagerSink sinkWithFiringTtl(FakeHttpServer am, Duration firingTtl) {
        HttpSinkSettings settings = new HttpSinkSettings(am.base(), 100, 10, Duration.ofSeconds(5),
                Duration.ofSeconds(20), Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(5),
                firingTtl, Map.of());
        AlertmanagerSink sink = new AlertmanagerSink("alertmanager", settings, registry,
                Clock.fixed(NOW, ZoneOffset.UTC));
        toClose.add(sink);
        return sink;
    }

    private static Alert firing(String code) {
        return Alert.of(Map.of("alertname", "FaultlineTransientErrorSpike", "service", "vaultd", "code", code),
                Map.of("summary", "spike of " + code), START, null, Alert.FIRING);
    }

    private double count(String meter, String... tags) {
        var c = registry.find(meter).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private static JsonNode array(FakeHttpServer.Request r) throws Exception {
        JsonNode a = JSON.readTree(r.body());
        assertThat(a.isArray()).isTrue();
        return a;
    }

    @Test
    void postsAlertmanagerV2ShapeWithTtlForFiringAndRealEndForResolved() throws Exception {
        FakeHttpServer am = track(FakeHttpServer.started());
        AlertmanagerSink sink = sink(am, 100, 10);

        sink.offer(firing("E2001"));
        FakeHttpServer.Request first = am.next();
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/api/v2/alerts");
        assertThat(first.headers().get("Content-type")).containsExactly("application/json");
        assertThat(first.headers().get("Authorization")).containsExactly("Bearer s3cret");
        JsonNode alert = array(first).get(0);
        assertThat(alert.path("labels").path("code").asText()).isEqualTo("E2001");
        assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("FaultlineTransientErrorSpike");
        assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("spike of E2001");
        assertThat(alert.path("startsAt").asText()).isEqualTo(START.toString());
        assertThat(alert.path("endsAt").asText()).isEqualTo(NOW.plus(Duration.ofMinutes(20)).toString());

        Instant end = Instant.parse("2026-11-21T10:04:00Z");
        sink.offer(firing("E2001").resolvedAt(end));
        JsonNode resolved = array(am.next()).get(0);
        assertThat(resolved.path("labels")).isEqualTo(alert.path("labels"));
        assertThat(resolved.path("endsAt").asText()).isEqualTo(end.toString());
        assertThat(sink.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        assertThat(count("faultline.alert.sink.sent", "sink", "alertmanager")).isEqualTo(2);
    }

    @Test
    void retriesWithBackoffWhileAlertmanagerIsDownThenDeliversOnceItIsUp() throws Exception {
        FakeHttpServer am = track(FakeHttpServer.boundOnly()); // accepts connections, never answers
        AlertmanagerSink sink = sink(am, 100, 10, Duration.ofMillis(300));

        sink.offer(firing("E2001"));
        Await.until("two failed attempts", () -> count("faultline.alert.sink.requests", "outcome", "io-error") >= 2);
        assertThat(sink.pending()).isEqualTo(1);

        am.start();
        FakeHttpServer.Request delivered = am.next();
        assertThat(array(delivered).get(0).path("labels").path("code").asText()).isEqualTo("E2001");
        assertThat(sink.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        assertThat(count("faultline.alert.sink.sent", "sink", "alertmanager")).isEqualTo(1);
        assertThat(count("faultline.alert.sink.retries", "sink", "alertmanager")).isGreaterThanOrEqualTo(2);
        assertThat(count("faultline.alert.sink.dropped", "reason", "closed")).isZero();
    }

    @Test
    void retries5xxAndDroppedConnectionsWithTheSameBatchUntilAccepted() throws Exception {
        FakeHttpServer am = track(FakeHttpServer.started().respond(503, FakeHttpServer.DROP, 500, 429));
        AlertmanagerSink sink = sink(am, 100, 10);

        sink.offer(firing("E2001"));
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            bodies.add(am.next().body());
        }
        assertThat(sink.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bodies).allSatisfy(b -> assertThat(b).contains("\"code\":\"E2001\""));
        assertThat(count("faultline.alert.sink.sent", "sink", "alertmanager")).isEqualTo(1);
        assertThat(count("faultline.alert.sink.retries", "sink", "alertmanager")).isEqualTo(4);
        assertThat(count("faultline.alert.sink.requests", "outcome", "server-error")).isEqualTo(3);
        assertThat(am.requests).isEmpty();
    }

    @Test
    void givesUpABatchAfterRetryingForTheFiringTtlSoOneBadPayloadCannotStopDelivery() throws Exception {
        Integer[] always500 = new Integer[100_000];
        java.util.Arrays.fill(always500, 500);
        FakeHttpServer am = track(FakeHttpServer.started().respond(always500));
        AlertmanagerSink sink = sinkWithFiringTtl(am, Duration.ofMillis(300));

        sink.offer(firing("E2001"));

        Await.until("the batch given up", () -> count("faultline.alert.sink.dropped", "reason", "expired") == 1);
        assertThat(count("faultline.alert.sink.sent", "sink", "alertmanager")).isZero();
    }

    @Test
    void keepsRetryingAResolvedAlertPastTheFiringTtlInOrderWhileGivingUpTheFiringOnes() throws Exception {
        // E2000 goes first (held until the others are queued), so E2001 (firing) and E2002 (resolved) travel
        // together; the receiver fails them until the firing one has been given up.
        List<String> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean pairTried = new java.util.concurrent.atomic.AtomicBoolean();
        FakeHttpServer am = track(FakeHttpServer.started().holdFirstRequest().respondBy(body -> {
            boolean up = body.contains("E2000") || count("faultline.alert.sink.dropped", "reason", "expired") >= 1;
            if (body.contains("E2001")) {
                pairTried.set(true);
            }
            if (up) {
                delivered.add(body);
            }
            return up ? 200 : 503;
        }));
        AlertmanagerSink sink = sinkWithFiringTtl(am, Duration.ofMillis(100));

        sink.offer(firing("E2000"));
        am.awaitFirst();
        sink.offer(firing("E2001"));
        sink.offer(firing("E2002").resolvedAt(Instant.parse("2026-11-21T10:04:00Z")));
        am.release();
        Await.until("the pair being retried", pairTried::get);
        sink.offer(firing("E2003")); // offered while the pair is retried: must come after the resolve

        Await.until("three delivered", () -> count("faultline.alert.sink.sent", "sink", "alertmanager") == 3);
        assertThat(count("faultline.alert.sink.dropped", "reason", "expired")).isEqualTo(1);
        assertThat(delivered).hasSize(3).noneMatch(b -> b.contains("E2001"));
        assertThat(delivered.get(1)).contains("E2002").doesNotContain("E2003");
        assertThat(delivered.get(2)).contains("E2003");
        assertThat(sink.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void batchesAlertsThatQueueUpBehindAnInFlightRequest() throws Exception {
        FakeHttpServer am = track(FakeHttpServer.started().holdFirstRequest());
        AlertmanagerSink sink = sink(am, 100, 64);

        sink.offer(firing("C0"));
        am.awaitFirst();
        for (int i = 1; i <= 9; i++) {
            sink.offer(firing("C" + i));
        }
        am.release();

        assertThat(array(am.next())).hasSize(1);
        JsonNode second = array(am.next());
        assertThat(second).hasSize(9);
        List<String> codes = new ArrayList<>();
        second.forEach(a -> codes.add(a.path("labels").path("code").asText()));
        assertThat(codes).containsExactly("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9");
        assertThat(sink.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        assertThat(am.requests).isEmpty();
    }

    @Test
    void splitsBatchesAboveMaxBatch() throws Exception {
        FakeHttpServer am = track(FakeHttpServer.started().holdFirstRequest());
        AlertmanagerSink sink = sink(am, 100, 4);

        sink.offer(firing("C0"));
        am.awaitFirst();
        for (int i = 1; i <= 10; i++) {
            sink.offer(firing("C" + i));
        }
        am.release();

        assertThat(array(am.next())).hasSize(1);
        assertThat(array(am.next())).hasSize(4);
        assertThat(array(am.next())).hasSize(4);
        assertThat(array(am.next())).hasSize(2);
    }

    @Test
    void dropsTheOldestAlertWhenTheQueueIsFullAndCountsIt() throws Exception {
        FakeHttpServer am = track(FakeHttpServer.started().holdFirstRequest());
        AlertmanagerSink sink = sink(am, 3, 64);

        sink.offer(firing("C0"));
        am.awaitFirst();
        for (int i = 1; i <= 5; i++) {
            assertThat(sink.offer(firing("C" + i))).isTrue();
        }
        assertThat(count("faultline.alert.sink.dropped", "sink", "alertmanager", "reason", "queue-full")).isEqualTo(2);
        am.release();

        am.next();
        List<String> codes = new ArrayList<>();
        array(am.next()).forEach(a -> codes.add(a.path("labels").path("code").asText()));
        assertThat(codes).containsExactly("C3", "C4", "C5");
    }

    @Test
    void a4xxIsNotRetriedAndOnlyTheRejectedAlertOfABatchIsDropped() throws Exception {
        FakeHttpServer am = track(FakeHttpServer.started().holdFirstRequest());
        am.respondBy(body -> body.contains("\"code\":\"BAD\"") ? 400 : 200);
        AlertmanagerSink sink = sink(am, 100, 64);

        sink.offer(firing("C0"));
        am.awaitFirst();
        sink.offer(firing("C1"));
        sink.offer(firing("BAD"));
        sink.offer(firing("C2"));
        am.release();

        am.next(); // C0
        assertThat(array(am.next())).hasSize(3); // the batch: rejected as a whole
        List<String> singles = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode a = array(am.next());
            assertThat(a).hasSize(1);
            singles.add(a.get(0).path("labels").path("code").asText());
        }
        assertThat(singles).containsExactly("C1", "BAD", "C2");
        assertThat(sink.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        assertThat(count("faultline.alert.sink.sent", "sink", "alertmanager")).isEqualTo(3);
        assertThat(count("faultline.alert.sink.dropped", "reason", "rejected")).isEqualTo(1);
        assertThat(count("faultline.alert.sink.retries", "sink", "alertmanager")).isZero();
        assertThat(am.requests).isEmpty();
    }

    @Test
    void offerNeverBlocksAndRefusesAfterClose() throws Exception {
        FakeHttpServer am = track(FakeHttpServer.boundOnly());
        HttpSinkSettings settings = HttpSinkSettings.defaults(am.base()).withQueueCapacity(10)
                .withCloseTimeout(Duration.ZERO);
        AlertmanagerSink sink = new AlertmanagerSink(settings, registry);
        for (int i = 0; i < 1000; i++) {
            sink.offer(firing("C" + i)); // Alertmanager hangs: offer must still return at once
        }
        assertThat(sink.pending()).isLessThanOrEqualTo(10 + 64);
        sink.close();
        assertThat(sink.offer(firing("late"))).isFalse();
        assertThat(sink.pending()).isZero();
    }

    @Test
    void appendsTheApiPathToABaseUrlOnce() {
        assertThat(AlertmanagerSink.endpointOf(java.net.URI.create("http://am:9093")).toString())
                .isEqualTo("http://am:9093/api/v2/alerts");
        assertThat(AlertmanagerSink.endpointOf(java.net.URI.create("http://am:9093/prefix/")).toString())
                .isEqualTo("http://am:9093/prefix/api/v2/alerts");
        assertThat(AlertmanagerSink.endpointOf(java.net.URI.create("https://am/api/v2/alerts")).toString())
                .isEqualTo("https://am/api/v2/alerts");
    }

    @Test
    void settingsNeverPrintHeaderValuesOrUserInfo() {
        HttpSinkSettings s = HttpSinkSettings.defaults(java.net.URI.create("http://user:pw@am:9093/x?token=t"))
                .withHeaders(Map.of("Authorization", "Bearer s3cret"));
        assertThat(s.toString()).doesNotContain("s3cret").doesNotContain("pw").doesNotContain("token")
                .contains("Authorization");
    }

    // A sink keeps delivering whatever one alert or one receiver does: bad input, hiccups, stalled or endless bodies.

    @Test
    void shouldKeepDeliveringAfterAnAlertItCannotEncode() throws Exception {
        FakeHttpServer am = track(FakeHttpServer.started());
        AlertmanagerSink sink = sink(am, 100, 10);
        // Parses, but startsAt + the firing TTL is beyond what Instant holds.
        Alert extreme = Alert.fromJson(("{\"schema\":\"faultline.alert/v1\",\"status\":\"firing\","
                + "\"labels\":{\"alertname\":\"X\",\"service\":\"s\"},"
                + "\"startsAt\":\"+1000000000-12-31T23:59:59Z\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));

        sink.offer(extreme);
        assertThat(sink.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        sink.offer(firing("GOOD"));

        assertThat(am.next().body()).contains("GOOD");
        assertThat(count("faultline.alert.sink.dropped", "sink", "alertmanager", "reason", "rejected")).isEqualTo(1);
    }

    @Test
    void shouldRetryAGoodAlertThatMeetsATransientErrorWhileARejectedBatchIsResentAlertByAlert() throws Exception {
        FakeHttpServer am = track(FakeHttpServer.started().holdFirstRequest());
        java.util.concurrent.atomic.AtomicInteger goodAlone = new java.util.concurrent.atomic.AtomicInteger();
        am.respondBy(body -> {
            if (body.contains("\"code\":\"BAD\"")) {
                return 400;
            }
            return body.contains("\"code\":\"GOOD\"") && goodAlone.incrementAndGet() == 1 ? 503 : 200;
        });
        AlertmanagerSink sink = sink(am, 100, 10);

        sink.offer(firing("WARMUP"));
        am.awaitFirst();
        sink.offer(firing("BAD")); // these two queue up behind the held request: one batch
        sink.offer(firing("GOOD"));
        am.release();
        assertThat(sink.awaitIdle(30, TimeUnit.SECONDS)).isTrue();

        assertThat(goodAlone.get()).as("GOOD sent alone again after the 503").isEqualTo(2);
        assertThat(count("faultline.alert.sink.sent", "sink", "alertmanager")).as("WARMUP and GOOD").isEqualTo(2);
    }

    @Test
    void shouldGiveUpOnAResponseBodyThatStallsAndTryAgain() throws Exception {
        // First connection: 503 and a body that never ends; then 200.
        RawHttpReceiver receiver = new RawHttpReceiver(connection -> connection == 1
                ? "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false);
        toClose.add(receiver);
        AlertmanagerSink sink = sink(receiver.base(), 100, 1, Duration.ofMillis(300));

        sink.offer(firing("A"));

        Await.until("delivered on a later connection",
                () -> count("faultline.alert.sink.sent", "sink", "alertmanager") == 1);
        assertThat(receiver.connections.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void shouldNotReadAnEndlessResponseBody() throws Exception {
        RawHttpReceiver receiver = new RawHttpReceiver(
                connection -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", true);
        toClose.add(receiver);
        AlertmanagerSink sink = sink(receiver.base(), 100, 1, Duration.ofSeconds(5));

        sink.offer(firing("A"));

        Await.until("delivered", () -> count("faultline.alert.sink.sent", "sink", "alertmanager") == 1);
        assertThat(receiver.endless.await(30, TimeUnit.SECONDS)).as("the receiver stopped writing").isTrue();
        assertThat(receiver.endlessCutByClient.get()).as("because the sink hung up, not after 64 MiB").isTrue();
    }
}
