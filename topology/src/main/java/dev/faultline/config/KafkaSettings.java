package dev.faultline.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Checks a {@code kafka:} passthrough value against the Kafka clients' own definitions when the config is read,
 * so a bad one is reported with the other config errors (exit 2) instead of failing later, where the clients are
 * made, with a stack trace. Each value is checked alone, so every bad one is reported. Names Kafka does not define
 * pass, as Kafka lets them pass (interceptors and plugins read their own); so do values that name a config
 * provider ({@code ${file:/etc/kafka.properties:protocol}}), which Kafka resolves before it checks them. An
 * unprefixed name Kafka Streams defines is checked as Streams reads it ({@code group.protocol: streams} is a
 * Streams value the consumer's definition does not know; Streams gives its clients their own).
 */
final class KafkaSettings {
    private static final ConfigDef STREAMS = StreamsConfig.configDef();
    private static final ConfigDef PRODUCER = ProducerConfig.configDef();
    private static final ConfigDef CONSUMER = ConsumerConfig.configDef();
    private static final ConfigDef ADMIN = AdminClientConfig.configDef();
    private static final List<String> CONSUMER_PREFIXES = List.of(StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX);
    /** What the definitions require and have no default for; the value under test is checked beside them. */
    private static final Map<String, Object> REQUIRED = Map.of(
            StreamsConfig.APPLICATION_ID_CONFIG, "faultline-config-check",
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());

    private KafkaSettings() {
    }

    /** Why Kafka would refuse {@code name: value} (a client setting, maybe with a Streams client prefix), or null. */
    static String problem(String name, String value) {
        if (value.contains("${")) {
            return null;
        }
        if (name.startsWith(StreamsConfig.PRODUCER_PREFIX)) {
            return check(List.of(PRODUCER), name.substring(StreamsConfig.PRODUCER_PREFIX.length()), value);
        }
        for (String prefix : CONSUMER_PREFIXES) {
            if (name.startsWith(prefix)) {
                return check(List.of(CONSUMER), name.substring(prefix.length()), value);
            }
        }
        if (name.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
            return check(List.of(ADMIN), name.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()), value);
        }
        if (STREAMS.names().contains(name)) {
            return check(List.of(STREAMS), name, value);
        }
        return check(List.of(PRODUCER, CONSUMER, ADMIN), name, value);
    }

    private static String check(List<ConfigDef> defs, String key, String value) {
        for (ConfigDef def : defs) {
            if (!def.names().contains(key)) {
                continue;
            }
            Map<String, Object> props = new HashMap<>(REQUIRED);
            props.put(key, value);
            try {
                def.parse(props);
            } catch (ConfigException e) {
                return e.getMessage();
            }
        }
        return null;
    }
}
