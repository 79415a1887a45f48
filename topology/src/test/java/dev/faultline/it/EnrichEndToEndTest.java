package dev.faultline.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Log lines in every format go through the real app on a real broker and come out enriched. */
class EnrichEndToEndTest {
    @RegisterExtension
    static final BrokerExtension BROKER = new BrokerExtension();

    @Test
    void anErrorLineInEachFormatComesOutEnrichedWithItsCatalogCodeStageAndSourceOffset() throws Exception {
        EnrichScenario.run(BROKER.bootstrapServers(), "enrich",
                config -> InProcessApp.start(config, EnrichScenario.CATALOGS));
    }
}
