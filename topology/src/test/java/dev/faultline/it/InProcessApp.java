package dev.faultline.it;

import dev.faultline.app.FaultlineApp;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.model.CatalogSet;
import dev.faultline.config.FaultlineConfig;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/** {@link FaultlineApp} (what {@code faultline run} runs) started in this JVM on a config. */
final class InProcessApp implements EnrichScenario.RunningApp {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private final FaultlineApp streams;

    private InProcessApp(FaultlineApp streams) {
        this.streams = streams;
    }

    /** Starts the app and returns once it is RUNNING; fails the test otherwise. */
    static InProcessApp start(FaultlineConfig config, CatalogSet catalogs) {
        FaultlineApp streams = FaultlineApp.create(config, Enricher.create(catalogs, config.enricherConfig()));
        InProcessApp app = new InProcessApp(streams);
        streams.start();
        try {
            ItSupport.await(() -> streams.state() == KafkaStreams.State.RUNNING, START_TIMEOUT,
                    "the streams app to be RUNNING (is " + streams.state() + ")");
        } catch (AssertionError e) {
            app.close();
            throw e;
        }
        return app;
    }

    @Override
    public String state() {
        return streams.state().name();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
