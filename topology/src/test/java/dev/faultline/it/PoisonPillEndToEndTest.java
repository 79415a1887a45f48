package dev.faultline.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.generator.GeneratedRecord;
import dev.faultline.generator.GeneratorProfile;
import dev.faultline.generator.LogGenerator;
import dev.faultline.topology.DlqHeaders;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

    private static int indexOf(List<RecordMetadata> meta, int partition, long offset) {
        for (int i = 0; i < meta.size(); i++) {
            if (meta.get(i).partition() == partition && meta.get(i).offset() == offset) {
                return i;
            }
        }
        return -1;
    }
}
