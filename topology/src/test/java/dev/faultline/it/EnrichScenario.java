package dev.faultline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.generator.ExpectedError;
import dev.faultline.generator.GeneratedRecord;
import dev.faultline.generator.GeneratorProfile;
import dev.faultline.generator.LogGenerator;
import dev.faultline.generator.WireFormat;
import dev.faultline.kafka.client.TopicReadiness;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The enrich end-to-end scenario, shared by the embedded-broker test and the Testcontainers test:
 * one error line per format in, each enriched event checked field by field.
 */
final class EnrichScenario {
    static final CatalogSet CATALOGS = new CatalogLoader().loadBundled().orThrow();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private EnrichScenario() {
    }

    /** One known error per format: catalog, code, service, and the stage that must find it. */
    record Case(WireFormat format, String catalog, String code, String service, String stage) {
    }

    static final List<Case> CASES = List.of(
            new Case(WireFormat.PINO_JSON, "agent-tasks", "task.already_claimed", "agent-tasks-api", "typed"),
            new Case(WireFormat.JSON_RPC, "vault-rpc", "FileNotFound", "vault-rpc", "typed"),
            new Case(WireFormat.FOUNDRY_ENVELOPE, "foundry-mcp", "RATE_LIMIT_EXCEEDED", "foundry-mcp", "typed"),
            new Case(WireFormat.ECS_JSON, "nps", "NWP-RATE-LIMIT-EXCEEDED", "nps-gateway", "typed"),
            new Case(WireFormat.LOGFMT, "nefia", "SSH_AUTH_FAILED", "nefia-agent", "typed"),
            new Case(WireFormat.TEXT, "nps", "NCP-STREAM-SEQ-GAP", "nps-node", "fallback"),
            new Case(WireFormat.OTLP_JSON, "agent-tasks", "project.not_found", "agent-tasks-worker", "typed"));

    /** Creates topics with the admin client, starts the app via {@code start}, produces, checks. */
    static void run(String bootstrap, String testName, AppStarter starter) throws Exception {
        ItSupport.Names names = ItSupport.Names.of(ItSupport.uniquePrefix(testName));
        createTopics(bootstrap, names, 2);
        Path state = ItSupport.tempDir("faultline-it-state-");
        try (RunningApp app = starter.start(ItSupport.config(
                ItSupport.configYaml(bootstrap, names, state, "exactly_once_v2", null)))) {
            // The generator picks the extra events of an OTLP batch; the test keeps the head event's case.
            LogGenerator generator = new LogGenerator(CATALOGS, 17,
                    GeneratorProfile.defaults().withTopic(names.input()).withSpike(null).withErrorRatio(0.0));
            Instant t0 = Instant.now();
            List<GeneratedRecord> records = new ArrayList<>();
            for (Case c : CASES) {
                records.add(generator.error(t0, generator.entry(c.catalog(), c.code()), c.service(), c.format()));
            }
            List<RecordMetadata> meta = ItSupport.produce(bootstrap, names.input(), records, null);

            List<ConsumerRecord<byte[], byte[]>> enriched = ItSupport.readUntil(bootstrap, names.enriched(),
                    read -> read.size() >= CASES.size(), TIMEOUT, CASES.size() + " enriched events");

            assertThat(enriched).hasSize(CASES.size());
            Map<Long, ConsumerRecord<byte[], byte[]>> byOffsetKey = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : enriched) {
                JsonNode e = ItSupport.json(r.value());
                byOffsetKey.put(e.path("source").path("partition").asLong() * 1_000_000L
                        + e.path("source").path("offset").asLong(), r);
            }
            for (int i = 0; i < CASES.size(); i++) {
                Case c = CASES.get(i);
                RecordMetadata m = meta.get(i);
                ConsumerRecord<byte[], byte[]> out = byOffsetKey.get(m.partition() * 1_000_000L + m.offset());
                assertThat(out).as("enriched event for %s from %s-%d@%d", c, names.input(), m.partition(), m.offset())
                        .isNotNull();
                JsonNode e = ItSupport.json(out.value());
                assertThat(ItSupport.text(out.key())).as("key is the service").isEqualTo(c.service());
                assertThat(e.path("schema").asText()).isEqualTo("faultline.enriched/v1");
                assertThat(e.path("service").asText()).isEqualTo(c.service());
                assertThat(e.path("format").asText()).isEqualTo(expectedFormat(c.format()));
                assertThat(e.path("source").path("topic").asText()).isEqualTo(names.input());
                assertThat(e.path("catalog_version").asText()).isEqualTo(CATALOGS.versionStamp());
                JsonNode error = e.path("errors").path(0);
                assertThat(error.path("catalog").asText()).as("%s", e).isEqualTo(c.catalog());
                assertThat(error.path("code").asText()).as("%s", e).isEqualTo(c.code());
                assertThat(error.path("stage").asText()).as("%s", e).isEqualTo(c.stage());
                assertThat(error.path("ambiguous").asBoolean()).isFalse();
                assertThat(error.path("title").asText()).isEqualTo(
                        CATALOGS.catalog(c.catalog()).orElseThrow().entry(c.code()).orElseThrow().title());
                assertThat(e.path("errors").size()).isEqualTo(1);
            }
            assertThat(records.get(records.size() - 1).errors()).first()
                    .isEqualTo(new ExpectedError("agent-tasks", "project.not_found", "agent-tasks-worker"));
        } finally {
            ItSupport.deleteRecursively(state);
        }
    }

    private static String expectedFormat(WireFormat f) {
        return switch (f) {
            case ECS_JSON -> "ecs";
            case LOGFMT -> "logfmt";
            case TEXT -> "text";
            case OTLP_JSON -> "otlp";
            default -> "json";
        };
    }

    static void createTopics(String bootstrap, ItSupport.Names names, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String t : names.all()) {
                topics.add(new NewTopic(t, partitions, (short) 1));
            }
            admin.createTopics(topics).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
            // Producing before the broker serves the new partitions can lose the first batch (see awaitLeaders).
            TopicReadiness.awaitLeaders(admin, List.of(names.all()), Duration.ofSeconds(30));
        }
    }

    /** Starts Faultline on a config and hands back something to stop it. */
    interface AppStarter {
        RunningApp start(dev.faultline.config.FaultlineConfig config) throws Exception;
    }

    /** A started app; closing stops it. */
    interface RunningApp extends AutoCloseable {
        String state();

        @Override
        void close();
    }
}
