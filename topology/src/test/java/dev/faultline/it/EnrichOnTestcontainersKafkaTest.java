package dev.faultline.it;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The enrich scenario against a broker nobody here configured: Apache Kafka's own image via
 * Testcontainers. Skipped where no Docker engine is available.
 */
@Testcontainers(disabledWithoutDocker = true)
class EnrichOnTestcontainersKafkaTest {
    @Container
    private static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

    @Test
    void anErrorLineInEachFormatComesOutEnrichedOnAContainerizedBroker() throws Exception {
        EnrichScenario.run(KAFKA.getBootstrapServers(), "enrich-tc",
                config -> InProcessApp.start(config, EnrichScenario.CATALOGS));
    }
}
