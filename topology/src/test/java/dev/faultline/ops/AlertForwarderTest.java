package dev.faultline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class AlertForwarderTest {
    private static final String TOPIC = "faultline.alerts";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final Instant NOW = Instant.parse("2026-11-21T10:01:00Z");

    static final class RecordingSink implements AlertSink {
        final List<Alert> alerts = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public boolean offer(Alert alert) {
            return alerts.add(alert);
        }

        @Override
        public int pending() {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final RecordingSink a = new RecordingSink();
    private final RecordingSink b = new RecordingSink();
    private final AlertForwarder forwarder = new AlertForwarder(consumer, TOPIC, List.of(a, b), registry,
            Duration.ofMinutes(15), Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));

    private void add(long offset, Instant timestamp, String json) {
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, timestamp.toEpochMilli(), TimestampType.CREATE_TIME,
                0, json == null ? 0 : json.length(), "fp".getBytes(StandardCharsets.UTF_8),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), new RecordHeaders(), Optional.empty()));
    }

    private double outcome(String o) {
        return registry.find("faultline.alert.forwarder.records").tag("outcome", o).counter().count();
    }

    private void assign() {
        consumer.subscribe(List.of(TOPIC));
        consumer.rebalance(List.of(TP));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
    }

    @Test
    void forwardsEveryAlertToEverySinkAndCommitsAfterHandingThemOver() {
        assign();
        add(0, NOW, AlertTest.FIRING);
        add(1, NOW, AlertTest.FIRING.replace("\"status\":\"firing\"", "\"status\":\"resolved\"")
                .replace("\"notifiedAt\"", "\"endsAt\":\"2026-11-21T10:09:00Z\",\"notifiedAt\""));

        assertThat(forwarder.pollOnce(Duration.ofMillis(10))).isEqualTo(2);
        assertThat(a.alerts).extracting(Alert::status).containsExactly("firing", "resolved");
        assertThat(b.alerts).isEqualTo(a.alerts);
        assertThat(consumer.committed(java.util.Set.of(TP))).containsEntry(TP, new OffsetAndMetadata(2));
        assertThat(outcome("forwarded")).isEqualTo(2);
    }

    @Test
    void skipsUnreadableRecordsAndTombstonesWithoutStopping() {
        assign();
        add(0, NOW, "{not json");
        add(1, NOW, null);
        add(2, NOW, AlertTest.FIRING);

        forwarder.pollOnce(Duration.ofMillis(10));
        assertThat(a.alerts).hasSize(1);
        assertThat(outcome("unreadable")).isEqualTo(1);
        assertThat(outcome("tombstone")).isEqualTo(1);
        assertThat(consumer.committed(java.util.Set.of(TP))).containsEntry(TP, new OffsetAndMetadata(3));
    }

    @Test
    void skipsStaleFiringAlertsButStillForwardsStaleResolves() {
        assign();
        Instant old = NOW.minus(Duration.ofHours(2));
        add(0, old, AlertTest.FIRING);
        add(1, old, AlertTest.FIRING.replace("\"status\":\"firing\"", "\"status\":\"resolved\"")
                .replace("\"notifiedAt\"", "\"endsAt\":\"2026-11-21T08:09:00Z\",\"notifiedAt\""));

        forwarder.pollOnce(Duration.ofMillis(10));
        assertThat(a.alerts).extracting(Alert::status).containsExactly("resolved");
        assertThat(outcome("stale")).isEqualTo(1);
    }

    @Test
    void judgesStalenessOnWhenTheAlertWasEmittedAndWhenItsLogArrivedNotOnTheLogsOwnClock() {
        assign();
        String resolved = AlertTest.FIRING.replace("\"status\":\"firing\"", "\"status\":\"resolved\"")
                .replace("\"notifiedAt\"", "\"endsAt\":\"2026-11-21T07:09:00Z\",\"notifiedAt\"");
        // Logs stamped 40 minutes, or five hours (a host in another zone), behind, that arrived just now: live.
        addEmitted(0, NOW.minus(Duration.ofMinutes(40)), NOW.minusSeconds(2), NOW.minusSeconds(3), AlertTest.FIRING);
        addEmitted(1, NOW.minus(Duration.ofHours(5)), NOW.minusSeconds(2), NOW.minusSeconds(3), AlertTest.FIRING);
        // Emitted two hours ago, read again after an outage: stale.
        addEmitted(2, NOW.minus(Duration.ofHours(2)), NOW.minus(Duration.ofHours(2)), NOW.minus(Duration.ofHours(2)),
                AlertTest.FIRING);
        // Detected just now on logs that reached Kafka three hours ago, a catch-up: history, not a page...
        addEmitted(3, NOW.minus(Duration.ofHours(3)), NOW.minusSeconds(1), NOW.minus(Duration.ofHours(3)),
                AlertTest.FIRING);
        // ... but its resolve is still sent.
        addEmitted(4, NOW.minus(Duration.ofHours(3)), NOW.minusSeconds(1), -1, resolved);

        forwarder.pollOnce(Duration.ofMillis(10));
        assertThat(a.alerts).extracting(Alert::status).containsExactly("firing", "firing", "resolved");
        assertThat(outcome("forwarded")).isEqualTo(3);
        assertThat(outcome("stale")).isEqualTo(2);
    }

    private void addEmitted(long offset, Instant timestamp, Instant emittedAt, long ingestedAt, String json) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Alert.EMITTED_AT_HEADER,
                Long.toString(emittedAt.toEpochMilli()).getBytes(StandardCharsets.US_ASCII));
        if (ingestedAt >= 0) {
            headers.add(Alert.INGESTED_AT_HEADER, Long.toString(ingestedAt).getBytes(StandardCharsets.US_ASCII));
        }
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, timestamp.toEpochMilli(), TimestampType.CREATE_TIME,
                0, json.length(), "fp".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8),
                headers, Optional.empty()));
    }

    private void addEmitted(long offset, Instant timestamp, Instant emittedAt, Instant ingestedAt, String json) {
        addEmitted(offset, timestamp, emittedAt, ingestedAt.toEpochMilli(), json);
    }

    @Test
    void runsOnItsOwnThreadUntilClosed() {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(TP));
            consumer.updateBeginningOffsets(Map.of(TP, 0L));
            add(0, NOW, AlertTest.FIRING);
        });
        forwarder.start();
        Await.until("the alert reached the sink", () -> a.alerts.size() == 1);
        forwarder.close();
        assertThat(forwarder.alive()).isFalse();
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void consumerPropertiesReadCommittedWithItsOwnGroupAndManualCommits() {
        Map<String, Object> p = AlertForwarder.consumerProperties(Map.of("bootstrap.servers", "k:9092",
                "isolation.level", "read_uncommitted", "enable.auto.commit", "true"), "faultline-alert-forwarder");
        assertThat(p).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "faultline-alert-forwarder")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry("bootstrap.servers", "k:9092");
    }
}
