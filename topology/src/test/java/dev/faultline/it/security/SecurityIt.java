package dev.faultline.it.security;

import static dev.faultline.it.ItSupport.await;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.app.FaultlineApp;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.config.FaultlineConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

/** Config, produce and read-back helpers for the security integration tests (clients with security settings). */
final class SecurityIt {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** One logfmt error line the nefia catalog knows: E2001 is SSH_AUTH_FAILED. */
    static final String ERROR_LINE = "level=error service=nefia-agent host=h1 msg=\"ssh failed\" err_code=E2001";
    static final String ERROR_CODE = "SSH_AUTH_FAILED";
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static CatalogSet catalogs;

    private SecurityIt() {
    }

    /** The topic names a test uses. */
    record Names(String prefix, String input, String enriched, String aggregates, String alerts, String dlq) {
        static Names unique(String test) {
            String p = test + "-" + NAMES.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
            return new Names(p, p + ".logs", p + ".enriched", p + ".aggregates", p + ".alerts", p + ".dlq");
        }

        String[] all() {
            return new String[] {input, enriched, aggregates, alerts, dlq};
        }
    }

    static synchronized CatalogSet catalogs() {
        if (catalogs == null) {
            catalogs = new CatalogLoader().loadBundled().orThrow();
        }
        return catalogs;
    }

    /**
     * Faultline YAML for a test: its own application id, topics and state dir, nefia bindings, and
     * {@code kafka} as the {@code kafka:} section (values single-quoted, so JAAS quotes and
     * {@code ${provider:…}} references pass through verbatim).
     */
    static String configYaml(Names names, Path stateDir, Map<String, String> kafka) {
        StringBuilder y = new StringBuilder();
        y.append("application.id: ").append(names.prefix()).append('\n');
        y.append("kafka:\n");
        kafka.forEach((k, v) -> y.append("  ").append(k).append(": ").append(quote(v)).append('\n'));
        y.append("  commit.interval.ms: 200\n");
        y.append("processing.guarantee: exactly_once_v2\n");
        y.append("state.dir: ").append(quote(stateDir.toString())).append('\n');
        y.append("topics:\n  input: [").append(names.input()).append("]\n  enriched: ").append(names.enriched())
                .append("\n  aggregates: ").append(names.aggregates()).append("\n  alerts: ").append(names.alerts())
                .append("\n  dlq: ").append(names.dlq()).append('\n');
        y.append("services:\n  - {glob: \"nefia-*\", catalogs: [nefia]}\n");
        return y.toString();
    }

    static String quote(String v) {
        return "'" + v.replace("'", "''") + "'";
    }

    static FaultlineConfig config(String yaml) {
        return FaultlineConfig.parse(yaml, Map.of()).orThrow();
    }

    /** Starts {@link FaultlineApp} (what {@code faultline run} runs) and waits until it is RUNNING. */
    static FaultlineApp startApp(FaultlineConfig config) {
        FaultlineApp app = FaultlineApp.create(config, Enricher.create(catalogs(), config.enricherConfig()));
        app.start();
        try {
            await(() -> app.state() == KafkaStreams.State.RUNNING, TIMEOUT,
                    "the streams app to be RUNNING (is " + app.state() + ")");
        } catch (AssertionError e) {
            app.close(Duration.ofSeconds(30));
            throw e;
        }
        return app;
    }

    /** Client settings: bootstrap plus {@code security} (the same map the app gets under kafka:). */
    static Map<String, Object> client(Map<String, String> security) {
        Map<String, Object> c = new HashMap<>(security);
        c.put("request.timeout.ms", 15_000);
        c.put("default.api.timeout.ms", 30_000);
        return c;
    }

    static void produce(Map<String, Object> client, String topic, List<byte[]> values) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(c)) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (byte[] v : values) {
                sent.add(p.send(new ProducerRecord<>(topic, v)));
            }
            p.flush();
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("produce to " + topic + " failed", e);
        }
    }

    /** Reads {@code topic} from the start (read_committed) until {@code done} holds; fails at the deadline. */
    static List<ConsumerRecord<byte[], byte[]>> readUntil(Map<String, Object> client, String topic,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done, String what) {
        Map<String, Object> c = new HashMap<>(client);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (!done.test(read)) {
                if (System.nanoTime() > deadline) {
                    fail("timed out after %s waiting for %s on %s; read %d record(s)", TIMEOUT, what, topic,
                            read.size());
                }
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }




}
