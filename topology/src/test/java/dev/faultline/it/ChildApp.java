package dev.faultline.it;

import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.config.FaultlineConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A tiny {@code faultline run} for the restart test's child JVM: loads the config file, runs the
 * topology until SIGTERM (closing cleanly) or SIGKILL (not at all, which is the point).
 */
public final class ChildApp {
    private ChildApp() {
    }

    public static void main(String[] args) throws Exception {
        FaultlineConfig config = FaultlineConfig.load(Path.of(args[0]), Map.of()).orThrow();
        InProcessApp app = InProcessApp.start(config, new CatalogLoader().loadBundled().orThrow());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "child-app-stop"));
        System.out.println("child app RUNNING");
        System.out.flush();
        stopped.await();
    }
}
