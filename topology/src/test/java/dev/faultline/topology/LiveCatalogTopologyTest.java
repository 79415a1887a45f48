package dev.faultline.topology;

import static dev.faultline.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalogs.CatalogDocument;
import dev.faultline.catalogs.CatalogGlobalStore;
import dev.faultline.catalogs.CatalogTopic;
import dev.faultline.catalogs.LiveCatalogs;
import dev.faultline.config.ConfigResult;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.ops.FaultlineMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Catalogs published to the catalog topic change enrichment without a restart; invalid ones never apply. */
class LiveCatalogTopologyTest {
    static final String ACME_V1 = """
            id: acme
            version: "1"
            name: Acme
            source: test
            entries:
              - code: ACME_WIDGET_JAMMED
                title: Widget jammed
                category: Widgets
                class: unavailable
            """;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FaultlineMetrics metrics = new FaultlineMetrics(registry);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger liveLogger = (Logger) LoggerFactory.getLogger(LiveCatalogs.class);
    private LiveCatalogs live;
    private TopologyFixture f;
    private TestInputTopic<String, byte[]> catalogTopic;

    @BeforeEach
    void setUp() {
        logs.start();
        liveLogger.addAppender(logs);
        FaultlineConfig config = FaultlineConfig.defaults();
        live = LiveCatalogs.create(CatalogLoader.bundledSources(), config.enricherConfig(),
                CatalogTopic.name(config), metrics::recordCatalogReload);
        f = new TopologyFixture("", live);
        catalogTopic = f.driver.createInputTopic("faultline.catalog", new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void tearDown() {
        liveLogger.detachAppender(logs);
        f.close();
    }

    @Test
    void aPublishedCatalogIsUsedForTheNextRecordsAndChangesTheirCatalogVersion() {
        JsonNode before = enrich("ACME_WIDGET_JAMMED");

        publish("acme", ACME_V1, "acme.yaml");
        JsonNode after = enrich("ACME_WIDGET_JAMMED");

        assertThat(before.get("errors")).isEmpty();
        assertThat(before.at("/unknown_codes/0/value").asText()).isEqualTo("ACME_WIDGET_JAMMED");
        assertThat(before.get("catalog_version").asText()).doesNotContain("acme@");
        assertThat(after.at("/errors/0/catalog").asText()).isEqualTo("acme");
        assertThat(after.at("/errors/0/code").asText()).isEqualTo("ACME_WIDGET_JAMMED");
        assertThat(after.at("/errors/0/class").asText()).isEqualTo("unavailable");
        assertThat(after.get("catalog_version").asText())
                .isEqualTo(before.get("catalog_version").asText() + ",acme@1");
        assertThat(reloads("ok")).isEqualTo(1.0);
        assertThat(reloads("failed")).isZero();
    }

    @Test
    void anInvalidCatalogIsNeverAppliedTheLastGoodStaysAndAMetricAndOneWarnLineSayWhy() {
        publish("acme", ACME_V1, "acme.yaml");
        String bad = """
                id: acme
                version: "2"
                entries:
                  - code: "ACME_\\x1b[31mRED"
                    title: Red
                    category: Widgets
                    class: bogus
                  - code: ACME_NEW
                    category: Widgets
                    class: timeout
                """;

        publish("acme", bad, "acme-v2.yaml");
        JsonNode after = enrich("ACME_WIDGET_JAMMED");
        JsonNode unknown = enrich("ACME_NEW");

        assertThat(after.get("catalog_version").asText()).endsWith(",acme@1");
        assertThat(after.at("/errors/0/code").asText()).isEqualTo("ACME_WIDGET_JAMMED");
        assertThat(unknown.get("errors")).isEmpty();
        assertThat(reloads("failed")).isEqualTo(1.0);
        assertThat(live.loaded()).isTrue();
        assertThat(live.rejection("acme")).hasValueSatisfying(r -> assertThat(r.problems()).hasSize(3));
        List<String> warnings = logs.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0))
                .contains("catalog id 'acme'", "file 'acme-v2.yaml'", "3 problem(s)",
                        "code: 'ACME_\\u001b[31mRED' is not a token", "class: unknown class 'bogus'",
                        "entry ACME_NEW: title: required", "keeping the last good catalogs", "acme@1")
                .doesNotContain("\u001b").doesNotContain("\n");
    }

    @Test
    void aLaterValidVersionOfARejectedCatalogIsApplied() {
        publish("acme", ACME_V1.replace("version: \"1\"", "version: \"2\"").replace("class: unavailable",
                "class: nonsense"), "acme.yaml");
        publish("acme", ACME_V1.replace("version: \"1\"", "version: \"3\""), "acme.yaml");

        assertThat(enrich("ACME_WIDGET_JAMMED").get("catalog_version").asText()).endsWith(",acme@3");
        assertThat(live.rejection("acme")).isEmpty();
        assertThat(reloads("failed")).isEqualTo(1.0);
        assertThat(reloads("ok")).isEqualTo(1.0);
    }

    @Test
    void aDocumentWhoseIdIsNotItsKeyOrWithoutAVersionIsRejected() {
        publish("other", ACME_V1, "acme.yaml");
        publish("acme", ACME_V1.replace("version: \"1\"\n", ""), "acme.yaml");

        assertThat(enrich("ACME_WIDGET_JAMMED").get("errors")).isEmpty();
        assertThat(live.rejection("other")).hasValueSatisfying(r ->
                assertThat(r.problems().get(0).message()).contains("declares id 'acme' but is keyed 'other'"));
        assertThat(live.rejection("acme")).hasValueSatisfying(r ->
                assertThat(r.problems().get(0).field()).isEqualTo("version"));
        assertThat(reloads("failed")).isEqualTo(2.0);
    }

    @Test
    void aRecordWhoseContentDoesNotMatchItsHashHeaderIsRejected() {
        Headers h = new RecordHeaders().add(CatalogTopic.SHA256, CatalogTopic.sha256("something else".getBytes(
                StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        catalogTopic.pipeInput(new TestRecord<>("acme", ACME_V1.getBytes(StandardCharsets.UTF_8), h, T0));

        assertThat(enrich("ACME_WIDGET_JAMMED").get("errors")).isEmpty();
        assertThat(live.rejection("acme")).hasValueSatisfying(r ->
                assertThat(r.problems().get(0).message()).contains("does not match its " + CatalogTopic.SHA256));
    }

    @Test
    void aTombstoneRemovesAPublishedCatalogButNeverABundledOne() {
        String nefiaOverlay = """
                id: nefia
                version: "local-1"
                entries:
                  - code: NEFIA_LOCAL_ONLY
                    title: Local addition
                    category: Local
                    class: internal
                """;
        publish("acme", ACME_V1, "acme.yaml");
        publish("nefia", nefiaOverlay, "nefia-local.yaml");
        JsonNode overlaid = enrich("NEFIA_LOCAL_ONLY");

        catalogTopic.pipeInput("acme", null, T0);
        catalogTopic.pipeInput("nefia", null, T0);
        JsonNode acmeGone = enrich("ACME_WIDGET_JAMMED");
        JsonNode bundledStays = enrich("VPN_NOT_READY");

        assertThat(overlaid.at("/errors/0/catalog").asText()).isEqualTo("nefia");
        assertThat(overlaid.get("catalog_version").asText()).contains("nefia@2026.11.21+local-1");
        assertThat(acmeGone.get("errors")).isEmpty();
        assertThat(acmeGone.get("catalog_version").asText()).doesNotContain("acme@").doesNotContain("+local-1");
        assertThat(bundledStays.at("/errors/0/code").asText()).isEqualTo("VPN_NOT_READY");
        assertThat(live.appliedDocuments()).isEmpty();
    }

    @Test
    void theSameDocumentReadAgainChangesNothing() {
        publish("acme", ACME_V1, "acme.yaml");

        assertThat(live.update("acme", new CatalogDocument("acme", ACME_V1.getBytes(StandardCharsets.UTF_8),
                null, null, null))).isEqualTo(LiveCatalogs.Outcome.UNCHANGED);
        assertThat(reloads("ok")).isEqualTo(1.0);
    }

    @Test
    void theLiveTopologyReadsTheCatalogTopicAsAnExplicitlyNamedGlobalStore() {
        String described = FaultlineTopology.build(FaultlineConfig.defaults(), live).describe().toString();
        String fixed = FaultlineTopology.build(FaultlineConfig.parse("catalog: {live: false}", Map.of()).orThrow(),
                live).describe().toString();

        assertThat(described).contains("Source: " + CatalogGlobalStore.SOURCE + " (topics: [faultline.catalog])")
                .contains("Processor: " + CatalogGlobalStore.PROCESSOR + " (stores: [" + CatalogGlobalStore.STORE + "])")
                .doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
        assertThat(fixed).doesNotContain(CatalogGlobalStore.STORE);
    }

    @Test
    void aCatalogTopicThatIsAlsoALogOrOutputTopicIsRefused() {
        ConfigResult sameAsInput = FaultlineConfig.parse("topics: {catalog: logs}", Map.of());
        ConfigResult matchedByPattern = FaultlineConfig.parse("topics: {input.pattern: 'faultline[.]cat.*'}",
                Map.of());

        assertThat(sameAsInput.errors()).singleElement().asString().contains("'logs' (topics.catalog)");
        assertThat(matchedByPattern.errors()).singleElement().asString()
                .contains("matches the output topic 'faultline.catalog' (topics.catalog)");
    }

    private void publish(String key, String yaml, String file) {
        CatalogDocument doc = new CatalogDocument(key, yaml.getBytes(StandardCharsets.UTF_8), file, "tester@host",
                null);
        catalogTopic.pipeInput(new TestRecord<>(key, doc.content(), CatalogTopic.headers(doc, "tester@host"), T0));
    }

    /** Enriches one log line carrying {@code code} and returns the enriched event. */
    private JsonNode enrich(String code) {
        f.log(T0.plusSeconds(1), "svc", "h1", code, "boom");
        return TopologyFixture.json(f.enriched.readValue());
    }

    private double reloads(String result) {
        return registry.get("faultline.catalog.reloads").tag("result", result).counter().count();
    }
}
