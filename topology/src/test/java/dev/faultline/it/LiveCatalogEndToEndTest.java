package dev.faultline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.app.FaultlineApp;
import dev.faultline.catalogs.CatalogTopic;
import dev.faultline.catalogs.LiveCatalogs;
import dev.faultline.cli.FaultlineCommand;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.kafka.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code faultline catalog publish} on a real broker: two running instances of one application
 * pick the published catalog up from the catalog topic and enrich with it, without a restart.
 */
class LiveCatalogEndToEndTest {
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final String CODE = "ACME_WIDGET_JAMMED";
    private static EmbeddedKafkaBroker broker;

    private final List<FaultlineApp> apps = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaBroker().start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void closeApps() {
        apps.forEach(a -> a.close(Duration.ofSeconds(30)));
        dirs.forEach(ItSupport::deleteRecursively);
    }

    @Test
    void aPublishedCatalogIsAppliedByBothRunningInstancesWithoutARestartAndByAnInstanceStartedLater()
            throws Exception {
        String bootstrap = broker.bootstrapServers();
        ItSupport.Names names = ItSupport.Names.of(ItSupport.uniquePrefix("live-catalog"));
        String catalogTopic = names.prefix() + ".catalog";
        broker.createTopics(2, names.all());
        String extra = "topics.catalog: " + catalogTopic + "\n";
        FaultlineConfig configA = ItSupport.config(ItSupport.configYaml(bootstrap, names, dir("state-a"),
                "at_least_once", extra));
        FaultlineConfig configB = ItSupport.config(ItSupport.configYaml(bootstrap, names, dir("state-b"),
                "at_least_once", extra));
        AtomicInteger okReloads = new AtomicInteger();
        // What `faultline run` does with catalog.live on: the catalog topic exists, the enricher is live.
        assertThat(CatalogTopic.ensure(configA)).isEmpty();
        LiveCatalogs liveA = LiveCatalogs.fromConfig(configA, ok -> okReloads.incrementAndGet());
        LiveCatalogs liveB = LiveCatalogs.fromConfig(configB, ok -> okReloads.incrementAndGet());
        FaultlineApp a = start(configA, liveA);
        FaultlineApp b = start(configB, liveB);
        ItSupport.await(() -> running(a) && running(b) && enrichPartitions(a).size() == 1
                && enrichPartitions(b).size() == 1, DEADLINE, "both instances running, each enriching one partition");

        produce(bootstrap, names.input(), "before");
        List<JsonNode> before = enrichedWithMessage(bootstrap, names.enriched(), "before");

        Path catalogs = dir("catalogs");
        Files.writeString(catalogs.resolve("acme.yaml"), """
                id: acme
                version: "1"
                name: Acme
                entries:
                  - code: ACME_WIDGET_JAMMED
                    title: Widget jammed
                    category: Widgets
                    class: unavailable
                """);
        Path configFile = dir("config").resolve("faultline.yaml");
        Files.writeString(configFile, ItSupport.configYaml(bootstrap, names, dir("state-cli"), "at_least_once", extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = FaultlineCommand.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("catalog", "publish", catalogs.toString(), "--config", configFile.toString());
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("published acme to " + catalogTopic);

        ItSupport.await(() -> liveA.version().endsWith(",acme@1") && liveB.version().endsWith(",acme@1"), DEADLINE,
                "both instances to apply the published catalog (A: " + liveA.version() + ", B: " + liveB.version()
                        + ")");
        produce(bootstrap, names.input(), "after");
        List<JsonNode> after = enrichedWithMessage(bootstrap, names.enriched(), "after");

        for (JsonNode ev : before) {
            assertThat(ev.get("errors")).isEmpty();
            assertThat(ev.at("/unknown_codes/0/value").asText()).isEqualTo(CODE);
            assertThat(ev.get("catalog_version").asText()).doesNotContain("acme@");
        }
        for (JsonNode ev : after) {
            assertThat(ev.at("/errors/0/catalog").asText()).isEqualTo("acme");
            assertThat(ev.at("/errors/0/code").asText()).isEqualTo(CODE);
            assertThat(ev.get("catalog_version").asText()).endsWith(",acme@1");
        }
        // One enriched event from each input partition, and each partition is enriched by a different instance.
        assertThat(partitions(after)).containsExactlyInAnyOrder(0, 1);
        assertThat(enrichPartitions(a)).doesNotContainAnyElementsOf(enrichPartitions(b));
        assertThat(a.state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(b.state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(okReloads.get()).isEqualTo(2);

        // An instance started now reads the whole topic (global store restore) before it processes anything.
        FaultlineConfig configC = ItSupport.config(ItSupport.configYaml(bootstrap, names, dir("state-c"),
                "at_least_once", extra));
        LiveCatalogs liveC = LiveCatalogs.fromConfig(configC, LiveCatalogs.ReloadListener.none());
        FaultlineApp c = start(configC, liveC);
        ItSupport.await(() -> running(c), DEADLINE, "the late instance to be RUNNING (is " + c.state() + ")");
        assertThat(liveC.version()).endsWith(",acme@1");
    }

    private FaultlineApp start(FaultlineConfig config, LiveCatalogs live) {
        FaultlineApp app = FaultlineApp.create(config, live, new Properties());
        apps.add(app);
        app.start();
        return app;
    }

    private Path dir(String name) {
        Path d = ItSupport.tempDir("faultline-live-" + name);
        dirs.add(d);
        return d;
    }

    private static boolean running(FaultlineApp app) {
        return app.state() == KafkaStreams.State.RUNNING;
    }

    /** Input partitions this instance's enrich tasks (sub-topology 0) own. */
    private static Set<Integer> enrichPartitions(FaultlineApp app) {
        Set<Integer> out = new HashSet<>();
        for (ThreadMetadata t : app.streams().metadataForLocalThreads()) {
            for (TaskMetadata task : t.activeTasks()) {
                if (task.taskId().subtopology() == 0) {
                    task.topicPartitions().stream().map(TopicPartition::partition).forEach(out::add);
                }
            }
        }
        return out;
    }

    /** One error line carrying {@link #CODE} to each of the two input partitions. */
    private static void produce(String bootstrap, String topic, String message) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(ItSupport.producerConfig(bootstrap))) {
            for (int partition = 0; partition < 2; partition++) {
                String line = "{\"service\":\"acme-svc\",\"level\":\"error\",\"message\":\"" + message
                        + "\",\"error_code\":\"" + CODE + "\"}";
                p.send(new ProducerRecord<>(topic, partition, null, line.getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The enriched events whose message is {@code message}, once there is one per input partition. */
    private static List<JsonNode> enrichedWithMessage(String bootstrap, String topic, String message) {
        List<ConsumerRecord<byte[], byte[]>> read = ItSupport.readUntil(bootstrap, topic,
                rs -> partitions(withMessage(rs, message)).size() == 2, DEADLINE,
                "an enriched '" + message + "' event from each input partition");
        return withMessage(read, message);
    }

    private static List<JsonNode> withMessage(List<ConsumerRecord<byte[], byte[]>> records, String message) {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode ev = ItSupport.json(r.value());
            if (message.equals(ev.path("message").asText())) {
                out.add(ev);
            }
        }
        return out;
    }

    private static Set<Integer> partitions(List<JsonNode> events) {
        Map<Integer, Integer> seen = new HashMap<>();
        for (JsonNode ev : events) {
            seen.merge(ev.at("/source/partition").asInt(), 1, Integer::sum);
        }
        return seen.keySet();
    }
}
