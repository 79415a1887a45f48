package dev.faultline.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.config.FaultlineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;

/**
 * The topology's shape under review: processor, store and internal topic names are state and
 * compatibility, so any change must show up as a diff. Regenerate with {@code -Dgolden.update=true}.
 */
class TopologyDescriptionGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/topology-description.txt");

    @Test
    void shouldMatchTheReviewedTopologyDescription() throws Exception {
        FaultlineConfig config = FaultlineConfig.defaults();
        String actual = FaultlineTopology.build(config, Enricher.create(TopologyFixture.CATALOGS,
                config.enricherConfig())).describe().toString();

        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, actual);
        }
        assertThat(GOLDEN).as("golden file; create it with -Dgolden.update=true").exists();
        assertThat(actual).isEqualTo(Files.readString(GOLDEN));
    }

    @Test
    void shouldNameEveryInternalTopicAndStoreExplicitly() {
        String description = FaultlineTopology.build(FaultlineConfig.defaults(),
                Enricher.create(TopologyFixture.CATALOGS, FaultlineConfig.defaults().enricherConfig()))
                .describe().toString();

        assertThat(description).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
    }

    @Test
    void shouldRefuseGeneratedNamesUnderTheAppsOwnConfig() {
        // The guard the topology relies on: an unnamed repartition fails the build instead of shipping.
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(
                FaultlineConfig.defaults().streamsProperties())));
        builder.stream("in", Consumed.as("src")).groupBy((k, v) -> v).count();

        assertThatThrownBy(builder::build).hasMessageContaining("has not been named");
    }

    @Test
    void shouldReadFromAPatternWhenConfigured() {
        FaultlineConfig config = FaultlineConfig.parse("topics: {input.pattern: 'logs[.].*'}", Map.of()).orThrow();

        String description = FaultlineTopology.build(config, Enricher.create(TopologyFixture.CATALOGS,
                config.enricherConfig())).describe().toString();

        assertThat(description).contains("Source: faultline-source (topics: logs[.].*)");
    }
}
