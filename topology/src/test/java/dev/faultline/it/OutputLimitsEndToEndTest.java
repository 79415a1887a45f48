package dev.faultline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Records a broker would refuse never reach the producer, on a real broker: an output stamped ahead of what the
 * broker accepts, an enriched event over max.request.size. Either would fail the task on every retry.
 */
class OutputLimitsEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    @RegisterExtension
    static final BrokerExtension BROKER = new BrokerExtension();

    /** What came out once the good record sent after the bad one was enriched. */
    private record Outcome(String state, List<ConsumerRecord<byte[], byte[]>> enriched,
            List<ConsumerRecord<byte[], byte[]>> dlq) {
    }

    /**
     * Starts an app (default config plus {@code extraYaml}) on fresh topics, sends {@code bad} (stamped
     * {@code badTime}, or now when null) and then a good error record, and waits until the good one is enriched.
     * The DLQ is read only when {@code readDlq}: waiting for a dead letter that should not come costs its deadline.
     */
    private static Outcome badThenGood(String prefix, String extraYaml, Long badTime, byte[] bad, boolean readDlq)
            throws Exception {
        String bootstrap = BROKER.bootstrapServers();
        ItSupport.Names names = ItSupport.Names.of(ItSupport.uniquePrefix(prefix));
        EnrichScenario.createTopics(bootstrap, names, 1);
        Path state = ItSupport.tempDir("faultline-it-state-");
        byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        byte[] good = "level=error service=nefia-agent err_code=E2001 msg=good".getBytes(StandardCharsets.UTF_8);
        try (InProcessApp app = InProcessApp.start(ItSupport.config(ItSupport.configYaml(bootstrap, names, state,
                "exactly_once_v2", extraYaml)), EnrichScenario.CATALOGS);
                KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(names.input(), null, badTime, key, bad)).get();
            producer.send(new ProducerRecord<>(names.input(), key, good)).get();

            List<ConsumerRecord<byte[], byte[]>> enriched = ItSupport.readUntilOrDeadline(bootstrap, names.enriched(),
                    read -> read.stream().anyMatch(r -> ItSupport.text(r.value()).contains("\"message\":\"good\"")),
                    TIMEOUT);
            List<ConsumerRecord<byte[], byte[]>> dlq = readDlq ? ItSupport.readUntilOrDeadline(bootstrap, names.dlq(),
                    read -> !read.isEmpty(), Duration.ofSeconds(5)) : List.of();
            return new Outcome(app.state(), enriched, dlq);
        } finally {
            ItSupport.deleteRecursively(state);
        }
    }

    /**
     * Default config. The broker (Kafka 4.x default message.timestamp.after.max.ms = 1 h) accepts an input record
     * stamped 58 min ahead (a producer with a fast clock); its log time is 4 min later still, within the default
     * event-time.max-future-skew (5 min) of the record time. An output stamped with the log's time, 62 min ahead,
     * would be refused (InvalidTimestampException), and the production handler would fail the task on every retry.
     */
    @Test
    void shouldNeverMakeAnOutputTheBrokerRefusesFromAnInputItAccepted() throws Exception {
        long recordTime = System.currentTimeMillis() + Duration.ofMinutes(58).toMillis();
        java.time.Instant logTime = java.time.Instant.ofEpochMilli(recordTime).plus(Duration.ofMinutes(4));
        byte[] ahead = ("{\"timestamp\":\"" + logTime + "\",\"service\":\"nefia-agent\",\"level\":\"error\","
                + "\"error_code\":\"E2001\",\"message\":\"ahead\"}").getBytes(StandardCharsets.UTF_8);

        Outcome out = badThenGood("future-ts", null, recordTime, ahead, false);

        assertThat(out.state()).as("app state after the record stamped ahead").isEqualTo("RUNNING");
        assertThat(out.enriched()).as("the good record after the one stamped ahead reached faultline.enriched")
                .anyMatch(r -> ItSupport.text(r.value()).contains("\"message\":\"good\""));
    }

    @Test
    void shouldDeadLetterARecordWhoseEnrichedEventIsTooLargeForTheProducerAndGoOn() throws Exception {
        byte[] ansi = ("ERROR nefia-agent E2001 ssh failed " + "\u001b".repeat(200_000))
                .getBytes(StandardCharsets.UTF_8);

        Outcome out = badThenGood("oversize-out", "limits: {max-message-chars: 300000}\n", null, ansi, true);

        assertThat(out.state()).as("app state after the oversized record").isEqualTo("RUNNING");
        assertThat(out.dlq()).as("the oversized record's dead letter").singleElement().satisfies(r -> assertThat(
                new String(r.headers().lastHeader("faultline.dlq.reason").value(), StandardCharsets.UTF_8))
                .isEqualTo("too-large"));
        assertThat(out.enriched()).as("the good record after the oversized one reached faultline.enriched")
                .anyMatch(r -> ItSupport.text(r.value()).contains("\"message\":\"good\""));
    }
}
