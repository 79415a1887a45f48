package dev.faultline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.kafka.client.TopicReadiness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TopicReadiness} on a real broker: a new topic is writable once it returns, and a missing one times out. */
class TopicReadinessTest {
    @RegisterExtension
    static final BrokerExtension BROKER = new BrokerExtension();
    /** Many, so that the broker is still taking up the last ones when a caller that did not wait writes. */
    private static final int PARTITIONS = 64;

    @Test
    void shouldReturnOnlyOnceEveryPartitionOfANewTopicTakesAWriteAtTheFirstTry() throws Exception {
        String topic = ItSupport.uniquePrefix("ready") + ".logs";
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);

            TopicReadiness.awaitLeaders(admin, List.of(topic), Duration.ofSeconds(30));
        }

        // No retries: a partition its leader does not serve yet fails the send at once (NOT_LEADER_OR_FOLLOWER).
        Map<String, Object> c = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.RETRIES_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(c)) {
            for (int partition = PARTITIONS - 1; partition >= 0; partition--) {
                RecordMetadata md = p.send(new ProducerRecord<>(topic, partition, null, new byte[] {1}))
                        .get(30, TimeUnit.SECONDS);
                assertThat(md.offset()).isZero();
            }
        }
    }

    @Test
    void shouldGiveUpAtTheDeadlineWhenATopicHasNoLeader() throws Exception {
        try (Admin admin = admin()) {
            assertThatThrownBy(() -> TopicReadiness.awaitLeaders(admin, List.of("no-such-topic"), Duration.ofSeconds(2)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no-such-topic")
                    .hasMessageContaining("no serving leader");
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers()));
    }
}
