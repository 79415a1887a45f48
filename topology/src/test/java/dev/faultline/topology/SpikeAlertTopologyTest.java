package dev.faultline.topology;

import static dev.faultline.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Alert lifecycle with the defaults: window 1m, min-count 20, score 3, repeat 5m, hold-down 2m. */
class SpikeAlertTopologyTest {
    private static final String SVC = "nefia-agent";

    @Test
    void shouldFireOnceWhenTransientCountCrossesMinimumInsideWindow() {
        try (TopologyFixture f = new TopologyFixture("")) {
            f.burst(T0, 19, SVC, "VPN_NOT_READY");
            assertThat(codeAlerts(f)).isEmpty();

            f.log(T0.plusSeconds(55), SVC, "h9", "VPN_NOT_READY", "the 20th");
            List<TestRecord<String, String>> fired = f.alerts.readRecordsToList();
            f.burst(T0.plusSeconds(56), 3, SVC, "VPN_NOT_READY"); // more inside the same episode

            // One for the code series and one for the class series; both fired by the 20th, before the window closed.
            assertThat(fired).hasSize(2);
            JsonNode code = fired.stream().map(r -> TopologyFixture.json(r.value()))
                    .filter(v -> v.at("/labels/code").isTextual()).findFirst().orElseThrow();
            assertThat(code.get("schema").asText()).isEqualTo("faultline.alert/v1");
            assertThat(code.get("status").asText()).isEqualTo("firing");
            assertThat(code.at("/labels/alertname").asText()).isEqualTo("FaultlineTransientErrorSpike");
            assertThat(code.at("/labels/service").asText()).isEqualTo(SVC);
            assertThat(code.at("/labels/catalog").asText()).isEqualTo("nefia");
            assertThat(code.get("count").asLong()).isEqualTo(20);
            assertThat(code.get("score").isNull()).isTrue(); // no history: the minimum alone decides
            assertThat(code.get("startsAt").asText()).isEqualTo(T0.plusSeconds(55).toString());
            assertThat(code.get("title").asText()).isNotBlank();
            assertThat(code.get("top_hosts").size()).isBetween(1, 5);
            assertThat(code.get("sample_messages").size()).isBetween(1, 3);
            assertThat(fired.get(0).timestamp()).isLessThan(T0.plusSeconds(60).toEpochMilli());
            assertThat(f.alerts.isEmpty()).as("no duplicate within the episode").isTrue();
        }
    }

    @Test
    void shouldStampAnAlertWithTheWallClockTimeItWasEmittedAtBesideItsEventTime() {
        // The logs run 40 minutes behind the wall clock (a slow shipper): the alert is live all the same.
        try (TopologyFixture f = new TopologyFixture("")) {
            f.advanceWallClock(Duration.ofMinutes(40));
            long wallClock = T0.plus(Duration.ofMinutes(40)).toEpochMilli() + f.config.idlePartitionTimeout().toMillis();

            f.burst(T0, 20, SVC, "VPN_NOT_READY");

            TestRecord<String, String> alert = f.alerts.readRecord();
            assertThat(alert.timestamp()).isLessThan(T0.plusSeconds(60).toEpochMilli());
            assertThat(new String(alert.headers().lastHeader(dev.faultline.ops.Alert.EMITTED_AT_HEADER).value(),
                    java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(Long.toString(wallClock));
        }
    }

    @Test
    void shouldTellWhenTheLogThatFiredAnAlertReachedKafka() {
        // Logs stamped 40 minutes behind the time they reached Kafka (a host in another zone, a slow shipper).
        try (TopologyFixture f = new TopologyFixture("")) {
            Instant arrived = T0.plus(Duration.ofMinutes(40));
            for (int i = 0; i < 20; i++) {
                f.logAt(arrived.plusSeconds(2L * i),
                        TopologyFixture.line(T0.plusSeconds(2L * i), SVC, "h1", "VPN_NOT_READY", "vpn down"));
            }

            TestRecord<String, String> alert = f.alerts.readRecord();
            assertThat(new String(alert.headers().lastHeader(dev.faultline.ops.Alert.INGESTED_AT_HEADER).value(),
                    java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo(Long.toString(arrived.plusSeconds(38).toEpochMilli()));
        }
    }

    @Test
    void shouldKeyAlertsByAStableFingerprint() {
        try (TopologyFixture f = new TopologyFixture("")) {
            f.burst(T0, 20, SVC, "VPN_NOT_READY");

            for (TestRecord<String, String> r : f.alerts.readRecordsToList()) {
                assertThat(r.key()).isEqualTo(TopologyFixture.json(r.value()).get("fingerprint").asText())
                        .matches("[0-9a-f]{16}");
            }
        }
    }

    @Test
    void shouldNeverAlertOnPermanentErrors() {
        try (TopologyFixture f = new TopologyFixture("")) {
            f.burst(T0, 200, SVC, "SSH_AUTH_FAILED");
            f.burst(T0.plusSeconds(60), 200, SVC, "SSH_AUTH_FAILED");

            assertThat(f.alerts.isEmpty()).isTrue();
            assertThat(f.enriched.getQueueSize()).isEqualTo(400);
        }
    }

    @Test
    void shouldAlertPerClassToo() {
        try (TopologyFixture f = new TopologyFixture("")) {
            f.burst(T0, 20, "foundry-mcp", "RATE_LIMIT_EXCEEDED");

            List<JsonNode> alerts = TopologyFixture.values(f.alerts);
            assertThat(alerts).extracting(a -> a.at("/labels/class").asText(null)).contains("rate_limit");
            assertThat(alerts).extracting(a -> a.at("/labels/code").asText(null)).contains("RATE_LIMIT_EXCEEDED");
        }
    }

    @Test
    void shouldAlertOnAClassWhenAnyOfItsErrorsInTheEventIsTransient() {
        try (TopologyFixture f = new TopologyFixture("")) {
            // Both are nefia "dependency" errors: SECRET_RESOLVE_FAILED permanent, named first; CLUSTER_JOIN_FAILED
            // transient.
            for (int i = 0; i < 20; i++) {
                f.log(T0.plusSeconds(2L * i), SVC, "h1", "SECRET_RESOLVE_FAILED", "and then CLUSTER_JOIN_FAILED");
            }

            List<JsonNode> alerts = TopologyFixture.values(f.alerts);
            assertThat(alerts).filteredOn(a -> a.at("/labels/code").isMissingNode())
                    .extracting(a -> a.at("/labels/class").asText()).containsExactly("dependency");
            assertThat(alerts).filteredOn(a -> a.at("/labels/class").isMissingNode())
                    .extracting(a -> a.at("/labels/code").asText()).containsExactly("CLUSTER_JOIN_FAILED");
        }
    }

    @Test
    void shouldRemindAtMostOncePerRepeatIntervalWhileStillAnomalous() {
        try (TopologyFixture f = new TopologyFixture("")) {
            for (int minute = 0; minute < 8; minute++) {
                f.burst(T0.plus(Duration.ofMinutes(minute)), 25, SVC, "VPN_NOT_READY");
            }

            List<JsonNode> code = codeAlerts(f);
            assertThat(code).extracting(a -> a.get("status").asText()).containsExactly("firing", "firing");
            assertThat(code.get(0).get("reminder").asBoolean()).isFalse();
            assertThat(code.get(1).get("reminder").asBoolean()).isTrue();
            // The reminder comes in the first anomalous moment at least 5m after the first notification.
            Instant first = Instant.parse(code.get(0).get("notifiedAt").asText());
            Instant second = Instant.parse(code.get(1).get("notifiedAt").asText());
            assertThat(Duration.between(first, second)).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(6));
            assertThat(code.get(1).get("startsAt")).isEqualTo(code.get(0).get("startsAt"));
        }
    }

    @Test
    void shouldResolveOnceAfterTheRateStayedNormalForTheHoldDown() {
        try (TopologyFixture f = new TopologyFixture("")) {
            f.burst(T0, 25, SVC, "VPN_NOT_READY");
            codeAlerts(f); // the firing one
            // Quiet minutes: only healthy logs, which advance stream time.
            for (int s = 60; s <= 170; s += 10) {
                f.log(T0.plusSeconds(s), SVC, "h1", null, "ok");
            }
            assertThat(codeAlerts(f)).as("hold-down not over before 10:03").isEmpty();

            for (int s = 180; s <= 300; s += 10) {
                f.log(T0.plusSeconds(s), SVC, "h1", null, "ok");
            }

            List<JsonNode> resolved = codeAlerts(f);
            assertThat(resolved).singleElement().satisfies(a -> {
                assertThat(a.get("status").asText()).isEqualTo("resolved");
                assertThat(a.get("endsAt").asText()).isEqualTo(T0.plusSeconds(60).toString());
                assertThat(a.get("startsAt").asText()).isNotBlank();
            });
        }
    }

    @Test
    void shouldNotFlapWhenTheRateHoversAroundTheThreshold() {
        try (TopologyFixture f = new TopologyFixture("")) {
            for (int minute = 0; minute < 5; minute++) {
                int n = minute % 2 == 0 ? 25 : 10; // anomalous, normal, anomalous…
                f.burst(T0.plus(Duration.ofMinutes(minute)), n, SVC, "VPN_NOT_READY");
            }
            f.log(T0.plusSeconds(5 * 60 + 5), SVC, "h1", null, "ok");

            assertThat(codeAlerts(f)).extracting(a -> a.get("status").asText()).containsExactly("firing");
        }
    }

    @Test
    void shouldFireOnTheScoreWhenHistoryExistsAndNotOnUsualLevels() {
        try (TopologyFixture f = new TopologyFixture("alerts: {min-count: 5}")) {
            for (int minute = 0; minute < 5; minute++) {
                f.burst(T0.plus(Duration.ofMinutes(minute)), 2, SVC, "CMD_TIMEOUT");
            }
            f.burst(T0.plus(Duration.ofMinutes(5)), 4, SVC, "CMD_TIMEOUT");
            assertThat(codeAlerts(f)).as("below the minimum").isEmpty();

            f.burst(T0.plus(Duration.ofMinutes(6)), 12, SVC, "CMD_TIMEOUT");

            List<JsonNode> fired = codeAlerts(f);
            assertThat(fired).singleElement().satisfies(a -> {
                assertThat(a.get("score").asDouble()).isGreaterThanOrEqualTo(3.0);
                assertThat(a.get("baseline").asDouble()).isBetween(1.0, 4.0);
                assertThat(a.get("count").asLong()).isLessThanOrEqualTo(12);
            });
        }
    }

    @Test
    void shouldEscapeControlCharactersFromLogsInAlertText() {
        try (TopologyFixture f = new TopologyFixture("alerts: {min-count: 1}")) {
            f.log(T0, "svc\\u001b[31m", "h1", "VPN_NOT_READY", "line1\\nFAKE: line2\\u202e");

            JsonNode a = codeAlerts(f).get(0);
            assertThat(a.at("/annotations/summary").asText()).contains("svc\\u001b[31m").doesNotContain("\u001b");
            assertThat(a.at("/sample_messages/0").asText()).doesNotContain("\n").doesNotContain("\u202e")
                    .contains("\\u000a");
        }
    }

    /** Reads all pending alerts and keeps the (service, code) ones, in order. */
    private static List<JsonNode> codeAlerts(TopologyFixture f) {
        return TopologyFixture.values(f.alerts).stream().filter(a -> a.at("/labels/code").isTextual()).toList();
    }
}
