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

    /**
     * Default config. The broker (Kafka 4.x default message.timestamp.after.max.ms = 1 h) accepts an input record
     * stamped 58 min ahead (a producer with a fast clock); its log time is 4 min later still, within the default
     * event-time.max-future-skew (5 min) of the record time, so the enriched record carries the log's time, 62 min
     * ahead: the broker refuses it (InvalidTimestampException), and the production handler fails the task.
     */
    @Test
    void shouldNeverMakeAnOutputTheBrokerRefusesFromAnInputItAccepted() throws Exception {
        String bootstrap = BROKER.bootstrapServers();
        ItSupport.Names names = ItSupport.Names.of(ItSupport.uniquePrefix("future-ts"));
        EnrichScenario.createTopics(bootstrap, names, 1);
        Path state = ItSupport.tempDir("faultline-it-state-");
        byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis();
        long recordTime = now + java.time.Duration.ofMinutes(58).toMillis();
        java.time.Instant logTime = java.time.Instant.ofEpochMilli(recordTime).plus(java.time.Duration.ofMinutes(4));
        byte[] ahead = ("{\"timestamp\":\"" + logTime + "\",\"service\":\"nefia-agent\",\"level\":\"error\","
                + "\"error_code\":\"E2001\",\"message\":\"ahead\"}").getBytes(StandardCharsets.UTF_8);
        byte[] good = "level=error service=nefia-agent err_code=E2001 msg=good".getBytes(StandardCharsets.UTF_8);
        try (InProcessApp app = InProcessApp.start(ItSupport.config(ItSupport.configYaml(bootstrap, names, state,
                "exactly_once_v2", null)), EnrichScenario.CATALOGS);
                KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(names.input(), null, recordTime, key, ahead)).get();
            producer.send(new ProducerRecord<>(names.input(), key, good)).get();

            List<ConsumerRecord<byte[], byte[]>> enriched = ItSupport.readUntilOrDeadline(bootstrap, names.enriched(),
                    read -> read.stream().anyMatch(r -> ItSupport.text(r.value()).contains("\"message\":\"good\"")),
                    TIMEOUT);
            assertThat(app.state()).as("app state after the record stamped ahead").isEqualTo("RUNNING");
            assertThat(enriched).as("the good record after the one stamped ahead reached faultline.enriched")
                    .anyMatch(r -> ItSupport.text(r.value()).contains("\"message\":\"good\""));
        } finally {
            ItSupport.deleteRecursively(state);
        }
    }

    @Test
    void shouldDeadLetterARecordWhoseEnrichedEventIsTooLargeForTheProducerAndGoOn() throws Exception {
        String bootstrap = BROKER.bootstrapServers();
        ItSupport.Names names = ItSupport.Names.of(ItSupport.uniquePrefix("oversize-out"));
        EnrichScenario.createTopics(bootstrap, names, 1);
        Path state = ItSupport.tempDir("faultline-it-state-");
        byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        byte[] ansi = ("ERROR nefia-agent E2001 ssh failed " + "\u001b".repeat(200_000)).getBytes(StandardCharsets.UTF_8);
        byte[] good = "level=error service=nefia-agent err_code=E2001 msg=good".getBytes(StandardCharsets.UTF_8);
        try (InProcessApp app = InProcessApp.start(ItSupport.config(ItSupport.configYaml(bootstrap, names, state,
                "exactly_once_v2", "limits: {max-message-chars: 300000}\n")), EnrichScenario.CATALOGS);
                KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(names.input(), key, ansi)).get();
            producer.send(new ProducerRecord<>(names.input(), key, good)).get();

            List<ConsumerRecord<byte[], byte[]>> enriched = ItSupport.readUntilOrDeadline(bootstrap, names.enriched(),
                    read -> read.stream().anyMatch(r -> ItSupport.text(r.value()).contains("\"message\":\"good\"")),
                    TIMEOUT);
            List<ConsumerRecord<byte[], byte[]>> dlq = ItSupport.readUntilOrDeadline(bootstrap, names.dlq(),
                    read -> !read.isEmpty(), Duration.ofSeconds(5));
            assertThat(app.state()).as("app state after the oversized record").isEqualTo("RUNNING");
            assertThat(dlq).as("the oversized record's dead letter").singleElement().satisfies(r -> assertThat(
                    new String(r.headers().lastHeader("faultline.dlq.reason").value(), StandardCharsets.UTF_8))
                    .isEqualTo("too-large"));
            assertThat(enriched).as("the good record after the oversized one reached faultline.enriched")
                    .anyMatch(r -> ItSupport.text(r.value()).contains("\"message\":\"good\""));
        } finally {
            ItSupport.deleteRecursively(state);
        }
    }
}
