package dev.faultline.it;

import dev.faultline.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Log lines in every format go through the real app on a real broker and come out enriched. */
class EnrichEndToEndTest {
    private static EmbeddedKafkaBroker broker;

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

    @Test
    void anErrorLineInEachFormatComesOutEnrichedWithItsCatalogCodeStageAndSourceOffset() throws Exception {
        EnrichScenario.run(broker.bootstrapServers(), "enrich",
                config -> InProcessApp.start(config, EnrichScenario.CATALOGS));
    }
}
