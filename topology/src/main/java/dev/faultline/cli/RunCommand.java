package dev.faultline.cli;

import dev.faultline.app.FaultlineApp;
import dev.faultline.catalog.enrich.Enricher;
import dev.faultline.catalog.load.CatalogLoader;
import dev.faultline.catalog.load.LoadResult;
import dev.faultline.catalog.load.Problem;
import dev.faultline.config.ConfigResult;
import dev.faultline.config.Durations;
import dev.faultline.config.FaultlineConfig;
import dev.faultline.config.FaultlineKeys;
import dev.faultline.ops.AlertSink;
import dev.faultline.ops.FaultlineMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code faultline run}: the stream processor, until SIGTERM or Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the Faultline stream processor against Kafka until SIGTERM or Ctrl-C.",
                "Serves /metrics, /health/live, /health/ready and the query API (/api/...) on ops.host:ops.port,",
                "and delivers alerts to alerts.alertmanager.urls / alerts.webhook.url when set.",
                "Configuration: --config FILE (or $FAULTLINE_CONFIG), then FAULTLINE_* environment overrides."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:closed cleanly", "1:failed while running, or did not close in time",
                "2:invalid configuration or catalogs"})
public final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration (default: $FAULTLINE_CONFIG, else built-in defaults).")
    Path config;

    @Option(names = "--close-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long a shutdown may take to commit and close (default: ${DEFAULT-VALUE}).")
    String closeTimeout;

    /** Overridable for tests; the process environment otherwise. */
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path file = config != null ? config : envConfigFile();
        ConfigResult result = FaultlineConfig.load(file, env);
        if (!result.isValid()) {
            err.println("faultline: invalid configuration (" + result.errors().size() + " error(s)):");
            result.errors().forEach(e -> err.println("  " + Sanitize.forTerminal(e)));
            err.flush();
            return 2;
        }
        FaultlineConfig cfg = result.orThrow();
        Duration timeout;
        try {
            timeout = Durations.parse(closeTimeout);
        } catch (IllegalArgumentException e) {
            err.println("faultline: --close-timeout: " + e.getMessage());
            return 2;
        }
        if (timeout.isNegative()) {
            err.println("faultline: --close-timeout: must not be negative");
            return 2;
        }
        LoadResult catalogs = new CatalogLoader().load(cfg.catalogDirs());
        if (!catalogs.isValid()) {
            err.println("faultline: invalid catalogs (" + catalogs.problems().size() + " problem(s)):");
            for (Problem p : catalogs.problems()) {
                err.println("  " + Sanitize.forTerminal(p.toString()));
            }
            err.flush();
            return 2;
        }
        List<String> unloaded = CatalogOptions.unloadedBindings(cfg.enricherConfig(), catalogs.orThrow());
        if (!unloaded.isEmpty()) {
            if (!cfg.get(FaultlineKeys.CATALOG_LIVE)) {
                // Fixed catalogs: such a binding can never be met, so it is a typo, like any invalid key.
                err.println("faultline: invalid configuration (" + unloaded.size() + " error(s)):");
                unloaded.forEach(line -> err.println("  " + line));
                err.flush();
                return 2;
            }
            // Live catalogs: the catalog may yet be published to the catalog topic. Until then the bound services'
            // codes are unknown, which nobody should have to find out from the output.
            unloaded.forEach(line -> err.println("faultline: warning: " + line + "; until it is published to "
                    + Sanitize.forTerminal(cfg.get(FaultlineKeys.TOPICS_CATALOG))
                    + ", the services bound to it get no codes from it"));
            err.flush();
        }
        FaultlineMetrics metrics = FaultlineMetrics.createPrometheus(Map.of("application", cfg.applicationId()));
        metrics.recordCatalogReload(true);
        // Live catalogs (catalog.live): published catalogs are applied without a restart.
        Supplier<Enricher> enricher = LiveCatalogSupport.enricher(cfg, catalogs.orThrow(),
                metrics::recordCatalogReload, err);
        if (enricher == null) {
            metrics.close();
            return 1;
        }
        FaultlineApp app;
        try {
            app = FaultlineApp.builder(cfg, enricher).metrics(metrics).opsServer(true).alertDelivery(true).build();
        } catch (IllegalArgumentException e) {
            metrics.close();
            err.println("faultline: invalid configuration: " + Sanitize.forTerminal(e.getMessage()));
            err.flush();
            return 2;
        } catch (IOException e) {
            metrics.close();
            err.println("faultline: cannot serve ops on " + Sanitize.forTerminal(cfg.get(FaultlineKeys.OPS_HOST)) + ":"
                    + cfg.get(FaultlineKeys.OPS_PORT) + ": " + Sanitize.forTerminal(String.valueOf(e.getMessage())));
            err.flush();
            return 1;
        }
        Thread hook = app.installShutdownHook(timeout);
        // SIGTERM/Ctrl-C close the app and let call() return 0; the hook covers every other way out.
        onSignals(() -> app.close(timeout), "TERM", "INT");
        app.start();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("faultline: running as %s against %s; Ctrl-C or SIGTERM to stop%n",
                cfg.applicationId(), cfg.bootstrapServers());
        out.printf("faultline: ops on %s:%d (/metrics, /health/live, /health/ready, /api/...), advertised as %s%n",
                Sanitize.forTerminal(cfg.get(FaultlineKeys.OPS_HOST)), app.opsPort(),
                Sanitize.forTerminal(app.advertisedAddress()));
        if (!app.alertSinks().isEmpty()) {
            // Sink names only: URLs may carry credentials.
            out.printf("faultline: delivering alerts to %s%n",
                    String.join(", ", app.alertSinks().stream().map(AlertSink::name).toList()));
        }
        out.flush();
        // Returns once a signal's close has finished, or on a fatal error.
        app.awaitTermination();
        if (app.failed()) {
            err.println("faultline: stopped after a fatal error (see the log)");
            app.close(timeout);
            return 1;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Closed by the hook itself: the JVM is already exiting.
        }
        if (!app.closeOutcome().orElse(false)) {
            err.println("faultline: did not close within " + timeout + " (see the log)");
            return 1;
        }
        return 0;
    }

    /**
     * Handles the signals ourselves (as Kafka's own scripts do) so a clean close ends with exit
     * status 0; if the JVM does not allow it, the shutdown hook still closes the app.
     */
    @SuppressWarnings("restriction")
    private static void onSignals(Runnable action, String... names) {
        for (String name : names) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> action.run());
            } catch (IllegalArgumentException | UnsupportedOperationException notAvailable) {
                // e.g. -Xrs, or the signal is reserved on this platform: fall back to the shutdown hook.
            }
        }
    }

    private Path envConfigFile() {
        String f = env.get("FAULTLINE_CONFIG");
        return f == null || f.isBlank() ? null : Path.of(f);
    }
}
