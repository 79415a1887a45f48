package dev.faultline.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.generator.GeneratedRecord;
import dev.faultline.generator.GeneratorProfile;
import dev.faultline.generator.LogGenerator;
import dev.faultline.catalog.event.LogEvent;
import dev.faultline.topology.DlqHeaders;
import dev.faultline.topology.FaultlineTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Unreadable records go to the dead-letter topic as they were; the app keeps running. */
class PoisonPillEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    @RegisterExtension
    static final BrokerExtension BROKER = new BrokerExtension();

    @Test
    void badRecordsMixedIntoAStreamLandInTheDlqWithTheirOriginalBytesAndReasonWhileTheAppKeepsRunning()
            throws Exception {
        String bootstrap = BROKER.bootstrapServers();
        ItSupport.Names names = ItSupport.Names.of(ItSupport.uniquePrefix("poison"));
        EnrichScenario.createTopics(bootstrap, names, 2);
        Path state = ItSupport.tempDir("faultline-it-state-");
        LogGenerator generator = new LogGenerator(EnrichScenario.CATALOGS, 23,
                GeneratorProfile.defaults().withTopic(names.input()).withSpike(null).withBadRatio(0.01));
        Instant t0 = Instant.now();
        List<GeneratedRecord> records = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            records.add(generator.next(t0.plusMillis(i)));
        }
        List<GeneratedRecord> bad = records.stream().filter(GeneratedRecord::bad).toList();
        long errorEvents = records.stream().mapToLong(r -> r.errors().size()).sum();
        assertThat(bad).hasSizeBetween(15, 50); // ~1% of 3000, fixed by the seed

        try (InProcessApp app = InProcessApp.start(ItSupport.config(
                ItSupport.configYaml(bootstrap, names, state, "exactly_once_v2", null)), EnrichScenario.CATALOGS)) {
            List<RecordMetadata> meta = ItSupport.produce(bootstrap, names.input(), records, null);

            List<ConsumerRecord<byte[], byte[]>> dlq = ItSupport.readUntil(bootstrap, names.dlq(),
                    read -> read.size() >= bad.size(), TIMEOUT, bad.size() + " dead letters");
            // Every good record's error events arrive too, so the app got past every bad one.
            ItSupport.readUntil(bootstrap, names.enriched(), read -> read.size() >= errorEvents, TIMEOUT,
                    errorEvents + " enriched events");

            assertThat(app.state()).isEqualTo("RUNNING");
            assertThat(dlq).hasSize(bad.size());
            for (ConsumerRecord<byte[], byte[]> d : dlq) {
                int partition = Integer.parseInt(ItSupport.header(d, DlqHeaders.SOURCE_PARTITION));
                long offset = Long.parseLong(ItSupport.header(d, DlqHeaders.SOURCE_OFFSET));
                int index = indexOf(meta, partition, offset);
                assertThat(index).as("dead letter points at a produced record").isNotNegative();
                GeneratedRecord original = records.get(index);
                assertThat(original.bad()).as("only bad records are dead-lettered: %s", original.valueText()).isTrue();
                assertThat(d.value()).isEqualTo(original.value());
                assertThat(d.key()).isEqualTo(original.key());
                assertThat(ItSupport.header(d, DlqHeaders.REASON)).isEqualTo(original.badReason());
                assertThat(ItSupport.header(d, DlqHeaders.SOURCE_TOPIC)).isEqualTo(names.input());
            }
        } finally {
            ItSupport.deleteRecursively(state);
        }
    }

    @Test
    void recordsWhoseOutputWouldNotFitTheProducerAndUndecodableInternalRecordsNeverStallAPartition()
            throws Exception {
        String bootstrap = BROKER.bootstrapServers();
        ItSupport.Names names = ItSupport.Names.of(ItSupport.uniquePrefix("oversize"));
        EnrichScenario.createTopics(bootstrap, names, 1);
        Path state = ItSupport.tempDir("faultline-it-state-");
        byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        // Readable, under the 1 MiB record limit, but a 700 KB service would make a 1.4 MB enriched record.
        byte[] hugeService = ("level=error service=" + "a".repeat(700_000) + " err_code=E2001 msg=huge")
                .getBytes(StandardCharsets.UTF_8);
        // Unreadable and just under the input limit: with Faultline's headers, more than the producer sends.
        byte[] nearLimit = new byte[1_048_400];
        Arrays.fill(nearLimit, (byte) 'x');
        nearLimit[0] = '{';
        byte[] good = "level=error service=nefia-agent err_code=E2001 msg=good".getBytes(StandardCharsets.UTF_8);

        try (InProcessApp app = InProcessApp.start(ItSupport.config(
                ItSupport.configYaml(bootstrap, names, state, "exactly_once_v2", null)), EnrichScenario.CATALOGS);
                KafkaProducer<byte[], byte[]> producer = ItSupport.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(names.input(), key, hugeService)).get();
            producer.send(new ProducerRecord<>(names.input(), key, nearLimit)).get();
            // The app has created its repartition topic once it has processed the records above.
            ItSupport.readUntil(bootstrap, names.dlq(), read -> !read.isEmpty(), TIMEOUT, "the first dead letter");
            String repartition = names.prefix() + "-" + FaultlineTopology.AGG_REPARTITION + "-repartition";
            producer.send(new ProducerRecord<>(repartition, key, new byte[] {(byte) 0x7f, 1, 2})).get();
            producer.send(new ProducerRecord<>(names.input(), key, good)).get();

            List<ConsumerRecord<byte[], byte[]>> enriched = ItSupport.readUntil(bootstrap, names.enriched(),
                    read -> read.stream().anyMatch(r -> ItSupport.text(r.value()).contains("\"message\":\"good\"")),
                    TIMEOUT, "the good record after the oversized ones");
            List<ConsumerRecord<byte[], byte[]>> dlq = ItSupport.readUntil(bootstrap, names.dlq(),
                    read -> read.size() >= 2, TIMEOUT, "two dead letters");

            assertThat(app.state()).isEqualTo("RUNNING");
            assertThat(enriched).anySatisfy(r -> {
                assertThat(ItSupport.text(r.value())).contains("\"message\":\"huge\"");
                assertThat(ItSupport.text(r.key())).hasSizeLessThanOrEqualTo(LogEvent.MAX_LABEL_CHARS);
            });
            ConsumerRecord<byte[], byte[]> cut = dlq.get(0);
            assertThat(ItSupport.header(cut, DlqHeaders.REASON)).isEqualTo("malformed-json");
            assertThat(ItSupport.header(cut, DlqHeaders.TRUNCATED)).isEqualTo("1,1048400,0");
            assertThat(cut.value()).hasSizeLessThan(nearLimit.length).startsWith(nearLimit[0]);
            ConsumerRecord<byte[], byte[]> internal = dlq.get(1);
            assertThat(ItSupport.header(internal, DlqHeaders.REASON)).isEqualTo("processing-error");
            assertThat(ItSupport.header(internal, DlqHeaders.SOURCE_TOPIC)).isEqualTo(repartition);
            assertThat(ItSupport.header(internal, DlqHeaders.DETAIL)).startsWith("cannot decode a record of ");
            assertThat(internal.value()).isEqualTo(new byte[] {(byte) 0x7f, 1, 2});
        } finally {
            ItSupport.deleteRecursively(state);
        }
    }

    private static int indexOf(List<RecordMetadata> meta, int partition, long offset) {
        for (int i = 0; i < meta.size(); i++) {
            if (meta.get(i).partition() == partition && meta.get(i).offset() == offset) {
                return i;
            }
        }
        return -1;
    }
}
