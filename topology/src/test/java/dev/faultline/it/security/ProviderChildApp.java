package dev.faultline.it.security;

import dev.faultline.app.FaultlineApp;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.config.FaultlineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The app as an operator runs it, in a child JVM whose environment holds the secrets the
 * {@code ${env:…}} provider reads: config file plus process environment, metrics and the ops HTTP
 * server ({@code ops.port} from the file; 0 picks a free one). Prints {@code OPS_PORT=<port>} and
 * then {@code CHILD RUNNING}; SIGTERM closes it.
 */
public final class ProviderChildApp {
    private ProviderChildApp() {
    }

    public static void main(String[] args) throws Exception {
        FaultlineConfig config = FaultlineConfig.load(Path.of(args[0]), System.getenv()).orThrow();
        Enricher enricher = Enricher.create(new CatalogLoader().loadBundled().orThrow(), config.enricherConfig());
        FaultlineApp app = FaultlineApp.builder(config, () -> enricher).opsServer(true).build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close(Duration.ofSeconds(20));
            stopped.countDown();
        }, "provider-child-stop"));
        System.out.println("OPS_PORT=" + app.opsPort());
        System.out.flush();
        app.start();
        if (!app.awaitRunning(Duration.ofSeconds(120))) {
            System.out.println("CHILD NOT RUNNING: " + app.state());
            System.out.flush();
            System.exit(3);
        }
        System.out.println("CHILD RUNNING");
        System.out.flush();
        stopped.await();
    }
}
