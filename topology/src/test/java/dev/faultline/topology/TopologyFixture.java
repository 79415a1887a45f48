package dev.faultline.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.config.FaultlineConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** A TopologyTestDriver over the real bundled catalogs, with helpers to write log lines and read outputs. */
final class TopologyFixture implements AutoCloseable {
    static final CatalogSet CATALOGS = new CatalogLoader().loadBundled().orThrow();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    final FaultlineConfig config;
    private final java.nio.file.Path stateDir;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> logs;
    final TestOutputTopic<String, String> enriched;
    final TestOutputTopic<String, String> aggregates;
    final TestOutputTopic<String, String> alerts;
    final TestOutputTopic<byte[], byte[]> dlq;

    TopologyFixture(String yaml) {
        this(yaml, null);
    }

    /** {@code enricher} null: the real enricher over the bundled catalogs. */
    TopologyFixture(String yaml, Supplier<Enricher> enricher) {
        this(yaml, enricher, FaultlineTopology.COMBINE_MAX_PARTIALS);
    }

    /** {@code maxPartials}: the aggregate combiner's bound (flush everything beyond it). */
    TopologyFixture(String yaml, Supplier<Enricher> enricher, int maxPartials) {
        this(yaml, enricher, maxPartials, true);
    }

    /** {@code pastStartUpHold} false: the wall clock starts where the tasks start, inside their start-up hold. */
    TopologyFixture(String yaml, Supplier<Enricher> enricher, int maxPartials, boolean pastStartUpHold) {
        config = FaultlineConfig.parse(yaml, Map.of()).orThrow();
        Enricher real = Enricher.create(CATALOGS, config.enricherConfig());
        Topology topology = FaultlineTopology.build(config, enricher == null ? () -> real : enricher, null,
                maxPartials);
        Properties props = FaultlineTopology.streamsProperties(config, null);
        try {
            stateDir = Files.createTempDirectory("faultline-ttd");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, props, T0);
        if (pastStartUpHold) {
            // Past the start-up hold of windows and alert resolution (one idle-partition timeout), as a running
            // app soon is.
            advanceWallClock(config.idlePartitionTimeout());
        }
        String input = config.inputTopics().get(0);
        logs = driver.createInputTopic(input, new ByteArraySerializer(), new ByteArraySerializer());
        enriched = driver.createOutputTopic(config.enrichedTopic(), new StringDeserializer(), new StringDeserializer());
        aggregates = driver.createOutputTopic(config.aggregatesTopic(), new StringDeserializer(), new StringDeserializer());
        alerts = driver.createOutputTopic(config.alertsTopic(), new StringDeserializer(), new StringDeserializer());
        dlq = driver.createOutputTopic(config.dlqTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** One JSON log line at {@code logTime}, written with the same record time. */
    void log(Instant logTime, String service, String host, String code, String message) {
        logAt(logTime, line(logTime, service, host, code, message));
    }

    void logAt(Instant recordTime, String line) {
        logs.pipeInput(null, line.getBytes(StandardCharsets.UTF_8), recordTime);
    }

    /** {@code n} occurrences of {@code code} spread evenly over [{@code from}, {@code from}+50s]. */
    void burst(Instant from, int n, String service, String code) {
        for (int i = 0; i < n; i++) {
            Instant t = from.plusMillis(i * 50_000L / Math.max(1, n));
            log(t, service, "h" + (i % 3 + 1), code, code + " #" + i);
        }
    }

    static String line(Instant t, String service, String host, String code, String message) {
        StringBuilder sb = new StringBuilder("{\"timestamp\":\"").append(t).append('"');
        if (service != null) {
            sb.append(",\"service\":\"").append(service).append('"');
        }
        sb.append(",\"host\":\"").append(host).append("\",\"level\":\"")
                .append(code == null ? "info" : "error").append("\",\"message\":\"").append(message).append('"');
        if (code != null) {
            sb.append(",\"error_code\":\"").append(code).append('"');
        }
        return sb.append('}').toString();
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> values(TestOutputTopic<String, String> topic) {
        return topic.readValuesToList().stream().map(TopologyFixture::json).toList();
    }

    /**
     * Moves the wall clock on in steps of at most a second, as a running app's punctuations see it. One big step
     * would look to the processors like a stall of their own thread, after which they wait out a fresh timeout.
     */
    void advanceWallClock(Duration by) {
        for (long left = by.toMillis(); left > 0; left -= 1000) {
            driver.advanceWallClockTime(Duration.ofMillis(Math.min(1000, left)));
        }
    }

    @Override
    public void close() {
        driver.close();
        try (var paths = Files.walk(stateDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
