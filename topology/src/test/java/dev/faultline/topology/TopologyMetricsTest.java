package dev.faultline.topology;

import static dev.faultline.topology.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.ops.FaultlineMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The processors record Faultline's meters when the topology is built with {@link FaultlineMetrics}. */
class TopologyMetricsTest {
    private MeterRegistry registry;
    private Path state;
    private TopologyTestDriver driver;
    private FaultlineConfig config;
    private String yaml = "services: [{glob: 'nefia-*', catalogs: [nefia]}]";
    private TestInputTopic<byte[], byte[]> logs;

    @BeforeEach
    void start() throws IOException {
        start(null);
    }

    private void start(Supplier<Enricher> override) throws IOException {
        config = FaultlineConfig.parse(yaml, Map.of()).orThrow();
        Enricher real = Enricher.create(TopologyFixture.CATALOGS, config.enricherConfig());
        registry = new SimpleMeterRegistry();
        FaultlineMetrics metrics = new FaultlineMetrics(registry);
        Properties props = FaultlineTopology.streamsProperties(config, metrics);
        state = Files.createTempDirectory("faultline-ttd-metrics");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        driver = new TopologyTestDriver(FaultlineTopology.build(config, override == null ? () -> real : override,
                metrics), props, T0);
        logs = driver.createInputTopic(config.inputTopics().get(0), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @AfterEach
    void stop() throws IOException {
        driver.close();
        try (var paths = Files.walk(state)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void pipe(String line, Instant t) {
        logs.pipeInput(null, line.getBytes(StandardCharsets.UTF_8), t);
    }

    private double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void shouldCountEventsPerFormatMatchesPerStageCatalogAndClassAndUnknownCodes() {
        pipe(TopologyFixture.line(T0, "nefia-agent", "h1", "SSH_AUTH_FAILED", "auth"), T0);
        pipe("ts=" + T0 + " level=error service=nefia-agent err_code=ECONNRESETX msg=\"reset\"", T0);
        pipe("{\"service\":\"nefia-agent\",\"level\":\"info\",\"message\":\"fine\"}", T0);

        assertThat(count("faultline.events.read", "format", "json")).isEqualTo(2);
        assertThat(count("faultline.events.read", "format", "logfmt")).isEqualTo(1);
        assertThat(count("faultline.matches", "stage", "typed", "catalog", "nefia", "class", "authentication"))
                .isEqualTo(1);
        assertThat(count("faultline.unknown.codes")).isEqualTo(1);
        assertThat(count("faultline.dead.letters")).isZero();
        assertThat(registry.find("faultline.match.latency").timer().count()).isEqualTo(3);
    }

    @Test
    void shouldCountAmbiguousMatchesWhenTheServiceDoesNotDecide() {
        // -32001 is an RPC code several catalogs know; an unbound service cannot decide between them.
        pipe("{\"service\":\"other-svc\",\"level\":\"error\",\"error\":{\"code\":-32001,\"message\":\"x\"}}", T0);

        assertThat(count("faultline.matches.ambiguous", "stage", "typed")).isEqualTo(1);
        assertThat(count("faultline.matches", "stage", "typed", "catalog", "ambiguous")).isEqualTo(1);
    }

    @Test
    void shouldCountRecordsThatHoldNoEventWithoutDeadLetteringThem() {
        pipe("", T0);
        pipe("   \n", T0);
        pipe("{\"resourceLogs\":[]}", T0);

        assertThat(count("faultline.records.empty")).isEqualTo(3);
        assertThat(count("faultline.dead.letters")).isZero();
    }

    @Test
    void shouldCountDeadLettersPerReason() {
        logs.pipeInput(null, new byte[] {'{', '"', 'm', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, T0);
        pipe("{\"message\": \"truncated", T0);

        assertThat(count("faultline.dead.letters", "reason", "invalid-utf8")).isEqualTo(1);
        assertThat(count("faultline.dead.letters", "reason", "malformed-json")).isEqualTo(1);
        assertThat(count("faultline.events.read", "format", "json")).isZero();
    }

    @Test
    void shouldCountAProcessingErrorAsADeadLetter() throws IOException {
        stop();
        start(() -> {
            throw new IllegalStateException("enricher broke");
        });

        pipe(TopologyFixture.line(T0, "nefia-agent", "h1", "SSH_AUTH_FAILED", "auth"), T0);

        assertThat(count("faultline.dead.letters", "reason", "processing-error")).isEqualTo(1);
    }

    @Test
    void shouldCountAnInternalRecordItCannotDecodeAsADeadLetterAndGoOn() {
        // The test driver does not deliver an exception handler's dead letters (Kafka's own neither); their shape is
        // tested on the handlers themselves and on the broker.
        String appId = config.streamsProperties().getProperty("application.id");
        TestInputTopic<byte[], byte[]> internal = driver.createInputTopic(
                appId + "-" + FaultlineTopology.AGG_REPARTITION + "-repartition", new ByteArraySerializer(),
                new ByteArraySerializer());

        internal.pipeInput(new TestRecord<>("k".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0x7f, 1, 2},
                new RecordHeaders(), T0));
        pipe(TopologyFixture.line(T0, "nefia-agent", "h1", "SSH_AUTH_FAILED", "auth"), T0);

        assertThat(count("faultline.dead.letters", "reason", "processing-error")).isEqualTo(1);
        assertThat(count("faultline.events.read", "format", "json")).as("and it goes on").isEqualTo(1);
    }

    @Test
    void shouldCountOccurrencesOfAlertSeriesBeyondTheCap() throws IOException {
        stop();
        yaml = "alerts: {max-series: 1}";
        start(null);
        for (int i = 0; i < 3; i++) {
            pipe(TopologyFixture.line(T0.plusSeconds(i), "nefia-agent", "h1", "VPN_NOT_READY", "vpn"), T0);
        }

        // The code series takes the one slot; each occurrence's class series finds none.
        assertThat(count("faultline.alert.series.untracked")).isEqualTo(3);
    }

    @Test
    void shouldCountFiringAlertsByState() {
        for (int i = 0; i < 20; i++) {
            Instant t = T0.plusSeconds(i * 2L);
            pipe(TopologyFixture.line(t, "nefia-agent", "h1", "VPN_NOT_READY", "vpn #" + i), t);
        }

        // The code series and the class series both fire on the 20th occurrence.
        assertThat(count("faultline.alerts", "state", "firing")).isEqualTo(2);
        assertThat(count("faultline.alerts", "state", "resolved")).isZero();
    }
}
