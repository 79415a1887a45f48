package dev.faultline.it;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.generator.GeneratedRecord;
import dev.faultline.generator.SeedSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produce, read back with deadlines, and configure Faultline for the integration tests. */
public final class ItSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger NAMES = new AtomicInteger();

    private ItSupport() {
    }

    /** A fresh name prefix, so tests sharing one broker never share topics, groups or state. */
    static String uniquePrefix(String test) {
        return test + "-" + NAMES.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    /** The topic names a test uses. */
    record Names(String prefix, String input, String enriched, String aggregates, String alerts, String dlq) {
        static Names of(String prefix) {
            return new Names(prefix, prefix + ".logs", prefix + ".enriched", prefix + ".aggregates",
                    prefix + ".alerts", prefix + ".dlq");
        }

        String[] all() {
            return new String[] {input, enriched, aggregates, alerts, dlq};
        }
    }

    /**
     * Faultline config YAML for a test: its own application id, topics and state dir, the
     * generator's service bindings, and {@code extra} (more top-level YAML) appended.
     */
    static String configYaml(String bootstrap, Names names, Path stateDir, String guarantee, String extra) {
        StringBuilder y = new StringBuilder();
        y.append("application.id: ").append(names.prefix()).append('\n');
        y.append("kafka:\n  bootstrap.servers: \"").append(bootstrap).append("\"\n");
        // Short commits: read_committed readers see output quickly, and a kill loses little.
        y.append("  commit.interval.ms: 200\n");
        y.append("processing.guarantee: ").append(guarantee).append('\n');
        y.append("state.dir: \"").append(stateDir.toString().replace("\\", "/")).append("\"\n");
        y.append("topics:\n  input: [").append(names.input()).append("]\n  enriched: ").append(names.enriched())
                .append("\n  aggregates: ").append(names.aggregates()).append("\n  alerts: ").append(names.alerts())
                .append("\n  dlq: ").append(names.dlq()).append('\n');
        y.append("services:\n");
        for (SeedSystem s : SeedSystem.values()) {
            y.append("  - {glob: \"").append(s.serviceGlob()).append("\", catalogs: [").append(s.catalogId())
                    .append("]}\n");
        }
        y.append(extra == null ? "" : extra);
        return y.toString();
    }

    static FaultlineConfig config(String yaml) {
        return FaultlineConfig.parse(yaml, Map.of()).orThrow();
    }

    static Map<String, Object> producerConfig(String bootstrap) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return c;
    }

    /**
     * Produces the records to {@code topic} in order, each with the given record timestamp (or the
     * producer's clock when {@code timestamps} is null), and returns their metadata.
     */
    static List<RecordMetadata> produce(String bootstrap, String topic, List<GeneratedRecord> records,
            List<Instant> timestamps) {
        return produce(bootstrap, topic, null, records, timestamps);
    }

    /** {@link #produce(String, String, List, List)} into one {@code partition} (null: the key's partition). */
    static List<RecordMetadata> produce(String bootstrap, String topic, Integer partition,
            List<GeneratedRecord> records, List<Instant> timestamps) {
        try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
            return produce(p, topic, partition, records, timestamps);
        }
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(producerConfig(bootstrap));
    }

    /** As above, with a producer the caller keeps open (and closes): one idempotent producer for many calls. */
    static List<RecordMetadata> produce(KafkaProducer<byte[], byte[]> p, String topic, Integer partition,
            List<GeneratedRecord> records, List<Instant> timestamps) {
        List<Future<RecordMetadata>> futures = new ArrayList<>(records.size());
        try {
            for (int i = 0; i < records.size(); i++) {
                GeneratedRecord r = records.get(i);
                Long ts = timestamps == null ? null : timestamps.get(i).toEpochMilli();
                futures.add(p.send(new ProducerRecord<>(topic, partition, ts, r.key(), r.value())));
            }
            p.flush();
            List<RecordMetadata> out = new ArrayList<>(futures.size());
            for (Future<RecordMetadata> f : futures) {
                out.add(f.get(30, TimeUnit.SECONDS));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("produce failed", e);
        }
    }

    static KafkaConsumer<byte[], byte[]> committedReader(String bootstrap) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(c);
    }

    /**
     * Reads {@code topic} from the beginning with read_committed until {@code done} holds for
     * everything read so far; fails with what was read when the deadline passes first.
     */
    static List<ConsumerRecord<byte[], byte[]>> readUntil(String bootstrap, String topic,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout, String what) {
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = committedReader(bootstrap)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                parts.add(new TopicPartition(topic, p.partition()));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            while (!done.test(read)) {
                if (System.nanoTime() > deadline) {
                    fail("timed out after %s waiting for %s on %s; read %d record(s)%s", timeout, what, topic,
                            read.size(), read.isEmpty() ? "" : ", last: " + text(read.get(read.size() - 1).value()));
                }
                c.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    /**
     * Everything read from {@code topic} (read_committed) once {@code done} holds, or at the deadline: for a test
     * that then compares what it has and names every difference, rather than only "timed out".
     */
    static List<ConsumerRecord<byte[], byte[]>> readUntilOrDeadline(String bootstrap, String topic,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = committedReader(bootstrap)) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> parts.add(new TopicPartition(topic,
                    p.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            while (!done.test(read) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    /** Polls {@code condition} every 100 ms until it holds; fails naming {@code what} at the deadline. */
    public static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after %s waiting for %s", timeout, what);
            }
            try {
                Thread.sleep(100); // polling interval of a deadline-bounded wait, not a timing assumption
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    public static JsonNode json(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(byte[] value) {
        return value == null ? "null" : new String(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : text(h.value());
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code lines} lines of a text file, or a note saying why there are none. */
    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temp dir does not affect other tests (unique names).
        }
    }
}
