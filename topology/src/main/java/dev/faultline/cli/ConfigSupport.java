package dev.faultline.cli;

import dev.faultline.catalog.enrich.EnricherConfig;
import dev.faultline.config.ConfigResult;
import dev.faultline.config.FaultlineConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** Loads the Faultline config for the offline commands, printing every error at once. */
final class ConfigSupport {
    record Loaded(List<Path> catalogDirs, EnricherConfig enricherConfig) {
    }

    private ConfigSupport() {
    }

    /** The config's catalog dirs and enricher settings, or null after printing every error. */
    static Loaded load(Path file, PrintWriter err) {
        ConfigResult result = FaultlineConfig.load(file, System.getenv());
        if (!result.isValid()) {
            err.println("faultline: " + file + " is not valid (" + result.errors().size() + " error(s)):");
            for (String e : result.errors()) {
                err.println("  " + Sanitize.forTerminal(e));
            }
            err.flush();
            return null;
        }
        FaultlineConfig config = result.orThrow();
        return new Loaded(config.catalogDirs(), config.enricherConfig());
    }
}
